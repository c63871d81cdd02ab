using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using SecureChat.Evidence.Audit;
using SecureChat.Pki;
using SecureChat.Protocol.Messages;

namespace SecureChat.Evidence.Tests.Audit;

/// <summary>The auditor on transcripts written by an independent implementation of protocol v1 (TestData/Conformance,
/// see its PROVENANCE.md), held to the verdicts of that set's <c>expected.json</c>.</summary>
/// <remarks>expected.json's vocabulary maps onto <see cref="AuditReport"/>: <c>accepted</c> → <see cref="AuditReport.Accepted"/>,
/// <c>complete</c> → <see cref="AuditReport.Complete"/>, <c>first_bad_line</c> → the line of
/// <see cref="AuditReport.FirstFailure"/>, <c>c2s_messages</c> / <c>s2c_messages</c> →
/// <see cref="AuditReport.ClientToServerMessages"/> / <see cref="AuditReport.ServerToClientMessages"/>,
/// <c>plaintexts_proven</c> → <see cref="AuditReport.PlaintextsVerified"/>, <c>receipts</c> →
/// <see cref="AuditReport.ReceiptsVerified"/>. expected.json names no finding kinds; the kinds below are ours, each
/// the first check (docs/PROTOCOL.md §15.2) that the file's one edit breaks.</remarks>
public sealed class ConformanceTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "TestData", "Conformance");

    /// <summary>Every file of the set, with the kind of its first failure (none: accepted).</summary>
    private static readonly Dictionary<string, AuditFindingKind?> Files = new(StringComparer.Ordinal)
    {
        ["client-honest.jsonl"] = null,
        ["server-honest.jsonl"] = null,
        ["truncated.jsonl"] = null,

        // c2s 2 is gone: line 3 holds c2s 3 where 2 is due.
        ["tampered-deleted-line.jsonl"] = AuditFindingKind.SequenceGap,

        // The kept plaintext of c2s 1 no longer opens its commit; the signature (over ct and commit) still holds.
        ["tampered-plaintext.jsonl"] = AuditFindingKind.CommitMismatch,

        // The client receipt's hash is signed, so an edited hash fails the signature before any hash comparison.
        ["tampered-receipt.jsonl"] = AuditFindingKind.BadReceipt,

        // c2s 2 stands before c2s 1: line 2 holds c2s 2 where 1 is due.
        ["tampered-swapped-lines.jsonl"] = AuditFindingKind.SequenceGap,
    };

    /// <summary>The file names, for the theory.</summary>
    public static TheoryData<string> Names => [.. Files.Keys];

    [Theory]
    [MemberData(nameof(Names))]
    public void Verdict_is_the_one_expected_json_gives(string name)
    {
        var report = Audit(name);
        var expected = Expected().GetProperty(name);

        foreach (var member in expected.EnumerateObject())
        {
            object actual = member.Name switch
            {
                "accepted" => report.Accepted,
                "complete" => report.Complete,
                "first_bad_line" => (long?)report.FirstFailure?.LineNumber ?? -1,
                "c2s_messages" => report.ClientToServerMessages,
                "s2c_messages" => report.ServerToClientMessages,
                "plaintexts_proven" => (long)report.PlaintextsVerified,
                "receipts" => (long)report.ReceiptsVerified,
                _ => throw new InvalidOperationException($"expected.json states '{member.Name}', which this test does not map"),
            };
            object wanted = member.Value.ValueKind is JsonValueKind.True or JsonValueKind.False ? member.Value.GetBoolean() : member.Value.GetInt64();
            Assert.True(Equals(wanted, actual), $"{name}: {member.Name} is {actual}, expected.json says {wanted}; {report.FirstFailure?.Reason}");
        }

        if (Files[name] is { } kind)
        {
            AuditAssert.AssertFails(report, expected.GetProperty("first_bad_line").GetInt32(), kind);
        }
        else
        {
            Assert.True(report.Accepted, report.FirstFailure?.Reason);
            Assert.False(report.Truncated);
            Assert.All(report.Findings, f => Assert.Equal((AuditSeverity.Warning, AuditFindingKind.Incomplete), (f.Severity, f.Kind)));
        }
    }

    [Fact]
    public void Expected_json_judges_exactly_the_transcript_files_of_the_set()
    {
        var onDisk = Directory.GetFiles(Folder, "*.jsonl").Select(Path.GetFileName).Order(StringComparer.Ordinal);
        var judged = Expected().EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal);

        Assert.Equal(Files.Keys.Order(StringComparer.Ordinal), judged);
        Assert.Equal(judged, onDisk);
    }

    [Theory]
    [InlineData("client-honest.jsonl")]
    [InlineData("server-honest.jsonl")]
    public void Honest_file_carries_a_certificate_whose_pem_text_differs_from_its_hello_but_not_its_der(string name)
    {
        // What the set exercises: the header and the handshake frames hold the same certificates in other PEM text.
        var firstLine = Encoding.UTF8.GetBytes(File.ReadLines(Path.Combine(Folder, name)).First());
        var header = Assert.IsType<TranscriptHeader>(TranscriptJson.TryParse(firstLine));
        var hello = (HelloMessage)MessageCodec.DecodeFrame(Convert.FromBase64String(header.Handshake[0]));
        var serverHello = (ServerHelloMessage)MessageCodec.DecodeFrame(Convert.FromBase64String(header.Handshake[1]));

        Assert.False(hello.ClientCert == header.ClientCert && serverHello.ServerCert == header.ServerCert);
        Assert.Equal(Der(header.ClientCert), Der(hello.ClientCert));
        Assert.Equal(Der(header.ServerCert), Der(serverHello.ServerCert));
    }

    private static AuditReport Audit(string name)
    {
        using var root = PemFiles.LoadCertificate(Path.Combine(Folder, "ca.crt"));
        using var stream = File.OpenRead(Path.Combine(Folder, name));
        return TranscriptAuditor.Audit(stream, root);
    }

    private static JsonElement Expected()
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Folder, "expected.json")));
        return document.RootElement.Clone();
    }

    private static byte[] Der(string pem)
    {
        using var certificate = PemFiles.TryParseCertificate(pem);
        return Assert.IsType<X509Certificate2>(certificate).RawData;
    }
}
