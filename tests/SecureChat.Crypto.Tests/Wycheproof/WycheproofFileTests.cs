namespace SecureChat.Crypto.Tests.Wycheproof;

/// <summary>Guards the vector files themselves: every announced vector is present and reaches a theory.</summary>
public sealed class WycheproofFileTests
{
    [Theory]
    [InlineData("hkdf_sha256_test.json", "HKDF-SHA-256")]
    [InlineData("aes_gcm_test.json", "AES-GCM")]
    [InlineData("rsa_pss_2048_sha256_mgf1_32_test.json", "RSASSA-PSS")]
    [InlineData("rsa_signature_2048_sha256_test.json", "RSASSA-PKCS1-v1_5")]
    [InlineData("ecdsa_secp256r1_sha256_test.json", "ECDSA")]
    public void File_is_complete(string fileName, string algorithm)
    {
        var file = WycheproofFile.Load(fileName);

        Assert.Equal(algorithm, file.Algorithm);
        Assert.Equal(file.NumberOfTests, file.Cases.Count);
        Assert.Equal(file.Cases.Count, file.Cases.Select(c => c.TcId).Distinct().Count());
        Assert.All(file.Cases, c => Assert.True(c.IsValid || c.IsInvalid || c.IsAcceptable, c.Description));
    }

    [Fact]
    public void Vectors_come_from_the_build_output_with_their_licence()
    {
        Assert.StartsWith(AppContext.BaseDirectory, WycheproofFile.Directory, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(WycheproofFile.Directory, "LICENSE")));
        Assert.True(File.Exists(Path.Combine(WycheproofFile.Directory, "SOURCE.md")));
    }

    [Fact]
    public void Aes_gcm_suite_groups_are_present_and_the_rest_cover_the_file()
    {
        var inSuite = ((IEnumerable<object[]>)AesGcmVectorTests.InSuite).Count();
        var outOfSuite = ((IEnumerable<object[]>)AesGcmVectorTests.OutOfSuite).Count();

        Assert.True(inSuite > 0);
        Assert.Equal(WycheproofFile.Load("aes_gcm_test.json").NumberOfTests, inSuite + outOfSuite);
    }

    [Fact]
    public void Pss_file_uses_the_protocol_parameters()
    {
        var file = WycheproofFile.Load("rsa_pss_2048_sha256_mgf1_32_test.json");

        Assert.All(file.Cases, c =>
        {
            Assert.Equal(2048, c.GroupInt("keySize"));
            Assert.Equal("SHA-256", c.GroupString("sha"));
            Assert.Equal("MGF1", c.GroupString("mgf"));
            Assert.Equal("SHA-256", c.GroupString("mgfSha"));
            Assert.Equal(32, c.GroupInt("sLen"));
        });
    }
}
