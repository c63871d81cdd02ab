namespace SecureChat.Cli.Tests;

/// <summary><c>securechat verify</c> on transcripts written by an independent implementation of the protocol (the
/// conformance set of SecureChat.Evidence.Tests/TestData/Conformance, with its own CA). Their header and handshake
/// frames carry the same certificates in different PEM text, which the auditor compares by DER.</summary>
public sealed class ConformanceVerifyTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "TestData", "Conformance");

    [Fact]
    public async Task Verify_accepts_the_honest_client_file_and_names_the_edited_receipt_of_the_tampered_one()
    {
        var (result, reports) = await Verifier.RunJsonAsync(Vector("ca.crt"), Vector("client-honest.jsonl"), Vector("tampered-receipt.jsonl"));

        Assert.True(result.ExitCode == 1, result.ToString());

        // expected.json: accepted, not complete (the client receipt does not cover s2c 1), 3 c2s and 1 s2c messages,
        // 4 plaintexts proven, 2 receipts.
        Verifier.AssertAccepted(reports[0], complete: false);
        Assert.Equal((3, 1, 4, 2), ((int)reports[0]["client_to_server_messages"]!, (int)reports[0]["server_to_client_messages"]!,
            (int)reports[0]["plaintexts_verified"]!, (int)reports[0]["receipts_verified"]!));

        // expected.json: rejected, first bad line 5 (the client receipt, whose transcript_sha256 was edited).
        Verifier.AssertRejected(reports[1], "bad_receipt", 5);
    }

    private static string Vector(string name) => Path.Combine(Folder, name);
}
