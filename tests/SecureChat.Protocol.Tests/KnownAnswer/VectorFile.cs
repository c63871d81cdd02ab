using System.Text.Json.Nodes;

namespace SecureChat.Protocol.Tests.KnownAnswer;

/// <summary>Read access to docs/test-vectors.json as copied into the test output directory.</summary>
internal static class VectorFile
{
    private static readonly Lazy<JsonObject> LazyRoot = new(() => (JsonObject)JsonNode.Parse(Text)!);

    /// <summary>Where the build copies the file.</summary>
    public static string Path => System.IO.Path.Combine(AppContext.BaseDirectory, "KnownAnswer", "test-vectors.json");

    /// <summary>The file's text.</summary>
    public static string Text => File.ReadAllText(Path);

    /// <summary>The parsed file.</summary>
    public static JsonObject Root => LazyRoot.Value;

    /// <summary>A group of the file, e.g. <c>key_schedule</c>.</summary>
    public static JsonObject Group(string name) => (JsonObject)Root[name]!;

    /// <summary>The items of an array member.</summary>
    public static IEnumerable<JsonObject> Items(this JsonNode node, string name) => node[name]!.AsArray().Select(n => (JsonObject)n!);

    /// <summary>A string member.</summary>
    public static string Str(this JsonNode node, string name) => node[name]!.GetValue<string>();

    /// <summary>A hex member as bytes.</summary>
    public static byte[] Bytes(this JsonNode node, string name) => Convert.FromHexString(node.Str(name));

    /// <summary>An integer member.</summary>
    public static long Int(this JsonNode node, string name) => node[name]!.GetValue<long>();

    /// <summary>The path of the first difference between two trees, or <see langword="null"/> when they are equal.</summary>
    public static string? FirstDifference(JsonNode? expected, JsonNode? actual, string path)
    {
        switch (expected, actual)
        {
            case (JsonObject e, JsonObject a):
                foreach (var (name, value) in e)
                {
                    if (!a.ContainsKey(name))
                    {
                        return $"{path}.{name} (missing from the file)";
                    }

                    if (FirstDifference(value, a[name], $"{path}.{name}") is { } inner)
                    {
                        return inner;
                    }
                }

                return a.Select(p => p.Key).FirstOrDefault(k => !e.ContainsKey(k)) is { } extra ? $"{path}.{extra} (not generated)" : null;
            case (JsonArray e, JsonArray a):
                if (e.Count != a.Count)
                {
                    return $"{path} (length {a.Count}, expected {e.Count})";
                }

                for (var i = 0; i < e.Count; i++)
                {
                    if (FirstDifference(e[i], a[i], $"{path}[{i}]") is { } inner)
                    {
                        return inner;
                    }
                }

                return null;
            default:
                return JsonNode.DeepEquals(expected, actual) ? null : $"{path} (file {actual?.ToJsonString()}, computed {expected?.ToJsonString()})";
        }
    }
}
