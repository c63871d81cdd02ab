using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace SecureChat.Crypto.Tests.Wycheproof;

/// <summary>One Wycheproof vector file, read from the build output (TestData/wycheproof).</summary>
/// <remarks>Theories take only the integer tcId so that xunit can enumerate and name every vector at discovery;
/// the vector itself is looked up here, from a file parsed once per test run.</remarks>
internal sealed class WycheproofFile
{
    private static readonly ConcurrentDictionary<string, WycheproofFile> Cache = new(StringComparer.Ordinal);

    private readonly Dictionary<int, WycheproofCase> _byTcId;

    private WycheproofFile(string fileName, JsonObject root)
    {
        FileName = fileName;
        Algorithm = (string)root["algorithm"]!;
        NumberOfTests = (int)root["numberOfTests"]!;
        var cases = new List<WycheproofCase>();
        foreach (var group in root["testGroups"]!.AsArray())
        {
            foreach (var test in group!["tests"]!.AsArray())
            {
                cases.Add(new WycheproofCase(group.AsObject(), test!.AsObject()));
            }
        }

        Cases = cases;
        _byTcId = cases.ToDictionary(c => c.TcId);
    }

    /// <summary>Directory the vectors are copied to by the project file.</summary>
    public static string Directory { get; } = Path.Combine(AppContext.BaseDirectory, "TestData", "wycheproof");

    public string FileName { get; }

    public string Algorithm { get; }

    /// <summary>The count the file's header announces; every one of them must be run.</summary>
    public int NumberOfTests { get; }

    public IReadOnlyList<WycheproofCase> Cases { get; }

    public WycheproofCase this[int tcId] => _byTcId[tcId];

    public static WycheproofFile Load(string fileName) => Cache.GetOrAdd(fileName, static name =>
    {
        var path = Path.Combine(Directory, name);
        var root = JsonNode.Parse(File.ReadAllBytes(path))?.AsObject()
            ?? throw new InvalidDataException($"{path} is not a JSON object.");
        return new WycheproofFile(name, root);
    });

    /// <summary>The tcIds of the cases that satisfy <paramref name="filter"/>, as theory data.</summary>
    public TheoryData<int> TcIds(Func<WycheproofCase, bool>? filter = null)
    {
        var data = new TheoryData<int>();
        foreach (var c in Cases)
        {
            if (filter is null || filter(c))
            {
                data.Add(c.TcId);
            }
        }

        return data;
    }
}

/// <summary>A single vector together with the parameters of its test group.</summary>
internal sealed class WycheproofCase(JsonObject group, JsonObject test)
{
    public int TcId { get; } = (int)test["tcId"]!;

    public string Result { get; } = (string)test["result"]!;

    public string Comment => (string?)test["comment"] ?? string.Empty;

    public IReadOnlyList<string> Flags =>
        test["flags"]?.AsArray().Select(f => (string)f!).ToArray() ?? [];

    public bool IsValid => Result == "valid";

    public bool IsInvalid => Result == "invalid";

    public bool IsAcceptable => Result == "acceptable";

    public JsonObject Group => group;

    /// <summary>Names the vector in assertion messages.</summary>
    public string Description => $"tcId {TcId} ({Result}, {Comment}, flags [{string.Join(", ", Flags)}])";

    public byte[] Bytes(string name) => Convert.FromHexString((string)test[name]!);

    public int Int(string name) => (int)test[name]!;

    public int GroupInt(string name) => (int)group[name]!;

    public string GroupString(string name) => (string)group[name]!;

    public byte[] GroupBytes(string name) => Convert.FromHexString((string)group[name]!);
}
