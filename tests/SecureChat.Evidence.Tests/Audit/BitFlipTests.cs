namespace SecureChat.Evidence.Tests.Audit;

public sealed class BitFlipTests(AuditFixture fixture) : IClassFixture<AuditFixture>
{
    [Fact]
    public void Any_single_bit_flip_is_judged_without_throwing_and_rejected_on_its_own_line()
    {
        var file = fixture.ClientFile;
        var original = file.Bytes();
        var lineStarts = new List<int> { 0 };
        lineStarts.AddRange(original.Select((b, i) => (b, i)).Where(x => x.b == (byte)'\n').Select(x => x.i + 1));
        var random = new Random(20240607);

        for (var flip = 0; flip < 200; flip++)
        {
            var bytes = original.ToArray();
            var position = random.Next(bytes.Length - 1);
            bytes[position] ^= (byte)(1 << random.Next(8));
            var line = lineStarts.FindLastIndex(start => start <= position) + 1;

            var report = file.AuditBytes(bytes);

            // A flip in an unsigned header claim (username, started_ms) or in a member name that is then ignored
            // (plaintext) can leave the file acceptable; anything else is caught, and caught where it happened.
            if (!report.Accepted)
            {
                Assert.True(report.FirstFailure!.LineNumber == line, $"flip at byte {position} (line {line}): {report.ToJson()}");
            }
        }
    }
}
