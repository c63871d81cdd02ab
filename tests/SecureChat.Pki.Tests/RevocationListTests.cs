using SecureChat.TestSupport;

namespace SecureChat.Pki.Tests;

public sealed class RevocationListTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Missing_file_is_an_empty_list() => Assert.Empty(RevocationList.Load(_directory.File("revoked.txt")));

    [Fact]
    public void Add_then_Load_round_trips_and_does_not_repeat_serials()
    {
        var path = _directory.File("revoked.txt");

        RevocationList.Add(path, TestPki.RevokedSerial);
        RevocationList.Add(path, "0a:1b:2c");
        RevocationList.Add(path, TestPki.RevokedSerial.ToLowerInvariant());

        var serials = RevocationList.Load(path);
        Assert.Equal(2, serials.Count);
        Assert.Contains(TestPki.RevokedSerial, serials);
        Assert.Contains("A1B2C", serials);
        Assert.Equal(2, File.ReadAllLines(path).Length);
    }

    [Fact]
    public void Load_skips_comments_and_blank_lines_and_accepts_openssl_forms()
    {
        var path = _directory.File("revoked.txt");
        File.WriteAllText(path, "# revoked certificates\r\n\r\n00FF # leading zeros do not matter\nserial=0A1B\n  ab:cd  \n");

        var serials = RevocationList.Load(path);

        Assert.Equal(new HashSet<string> { "FF", "A1B", "ABCD" }, serials);
    }

    [Fact]
    public void Add_keeps_existing_comments_and_a_missing_final_newline()
    {
        var path = _directory.File("revoked.txt");
        File.WriteAllText(path, "# keep me\nABC");

        RevocationList.Add(path, "DEF");

        Assert.Equal("# keep me\nABC\nDEF\n", File.ReadAllText(path));
    }

    [Fact]
    public void A_line_that_is_not_a_serial_fails_closed()
    {
        var path = _directory.File("revoked.txt");
        File.WriteAllText(path, "ABC\nnot-hex\n");

        var error = Assert.Throws<PkiException>(() => RevocationList.Load(path));

        Assert.Contains("Line 2", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("xyz")]
    [InlineData("12 34")]
    public void Add_refuses_a_malformed_serial(string serial) =>
        Assert.Throws<ArgumentException>(() => RevocationList.Add(_directory.File("revoked.txt"), serial));

    [Theory]
    [InlineData("00", "0")]
    [InlineData("00A1", "A1")]
    [InlineData("a1:b2", "A1B2")]
    [InlineData("serial=7F", "7F")]
    public void NormalizeSerial_gives_the_canonical_form(string input, string expected) =>
        Assert.Equal(expected, RevocationList.NormalizeSerial(input));

    [Fact]
    public void Validator_refuses_a_serial_loaded_from_the_list()
    {
        var path = _directory.File("revoked.txt");
        RevocationList.Add(path, TestPki.Server.SerialNumber);
        var validator = new CertificateValidator(new CertificatePolicy
        {
            Root = TestPki.Root,
            Peer = ExpectedPeer.Server,
            ExpectedName = TestPki.ServerName,
            RevokedSerials = RevocationList.Load(path),
        });

        var check = validator.Validate(TestPki.Server, DateTimeOffset.UtcNow);

        Assert.Equal(CertificateFailure.Revoked, check.Failure);
        Assert.Contains(TestPki.Server.SerialNumber, check.Reason, StringComparison.Ordinal);
        Assert.True(validator.Validate(TestPki.EcdsaServer, DateTimeOffset.UtcNow).IsValid);
    }
}
