namespace SecureChat.Pki;

/// <summary>What an issued leaf certificate is for; decides its names and extended key usage.</summary>
public enum CertificateRole
{
    /// <summary>A server: subject CN and a DNS subjectAltName, EKU serverAuth.</summary>
    Server,

    /// <summary>A client machine or program: subject CN, EKU clientAuth.</summary>
    Client,

    /// <summary>A per-user certificate: CN and rfc822Name subjectAltName are the user's e-mail, EKU clientAuth.</summary>
    User,
}
