using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using SecureChat.Protocol.Framing;

namespace SecureChat.Protocol.Messages;

/// <summary>Strict JSON encoding and decoding of wire messages and plaintexts (protocol §1).</summary>
/// <remarks>Invalid UTF-8, invalid JSON, a non-object, a missing or unknown <c>type</c>, a duplicate member,
/// a missing required member or a member of the wrong JSON type are all <c>PROTOCOL_ERROR</c>.
/// Unknown extra members are ignored.</remarks>
public static class MessageCodec
{
    /// <summary>The wire context with an encoder that writes non-ASCII text and HTML-sensitive characters as they
    /// are: escaping them as <c>\uXXXX</c> would only inflate frames (up to six times), and nothing here is HTML.
    /// Quotes, backslashes and control characters are still escaped, as JSON requires.</summary>
    private static readonly ProtocolJsonContext Wire = new(new JsonSerializerOptions(ProtocolJsonContext.Default.Options)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    /// <summary>Decodes a frame body into its message.</summary>
    /// <exception cref="ProtocolException"><c>PROTOCOL_ERROR</c> for anything malformed.</exception>
    public static WireMessage Decode(ReadOnlySpan<byte> body) =>
        DecodeJson(body, Wire.WireMessage, "message");

    /// <summary>Decodes a whole frame (length prefix included).</summary>
    public static WireMessage DecodeFrame(ReadOnlySpan<byte> frame) => Decode(FrameReader.Body(frame));

    /// <summary>Encodes a message as a frame body (UTF-8 JSON, <c>type</c> first).</summary>
    public static byte[] Encode(WireMessage message) =>
        JsonSerializer.SerializeToUtf8Bytes(message, Wire.WireMessage);

    /// <summary>Encodes a message as a whole frame, length prefix included.</summary>
    public static byte[] EncodeFrame(WireMessage message) => FrameWriter.Frame(Encode(message));

    /// <summary>Decodes an <c>auth_request</c> plaintext.</summary>
    public static AuthRequestPlaintext DecodeAuthRequest(ReadOnlySpan<byte> plaintext) =>
        DecodeJson(plaintext, Wire.AuthRequestPlaintext, "auth request");

    /// <summary>Encodes an <c>auth_request</c> plaintext.</summary>
    public static byte[] Encode(AuthRequestPlaintext plaintext) =>
        JsonSerializer.SerializeToUtf8Bytes(plaintext, Wire.AuthRequestPlaintext);

    /// <summary>Decodes an <c>auth_response</c> plaintext.</summary>
    public static AuthResponsePlaintext DecodeAuthResponse(ReadOnlySpan<byte> plaintext) =>
        DecodeJson(plaintext, Wire.AuthResponsePlaintext, "auth response");

    /// <summary>Encodes an <c>auth_response</c> plaintext.</summary>
    public static byte[] Encode(AuthResponsePlaintext plaintext) =>
        JsonSerializer.SerializeToUtf8Bytes(plaintext, Wire.AuthResponsePlaintext);

    /// <summary>Decodes a chat plaintext.</summary>
    public static ChatPlaintext DecodeChat(ReadOnlySpan<byte> plaintext) =>
        DecodeJson(plaintext, Wire.ChatPlaintext, "chat plaintext");

    /// <summary>Encodes a chat plaintext.</summary>
    public static byte[] Encode(ChatPlaintext plaintext) =>
        JsonSerializer.SerializeToUtf8Bytes(plaintext, Wire.ChatPlaintext);

    private static readonly JsonReaderOptions StrictReader = new() { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 32 };

    private static T DecodeJson<T>(ReadOnlySpan<byte> utf8, JsonTypeInfo<T> typeInfo, string what)
    {
        T? value;
        try
        {
            RejectDuplicateMembers(utf8);
            value = JsonSerializer.Deserialize(utf8, typeInfo);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException or ArgumentException)
        {
            // Never echo parser details that could carry peer-controlled bytes into logs verbatim.
            throw new ProtocolException(ProtocolErrorCode.ProtocolError, $"malformed {what}: {Describe(e)}");
        }

        return value ?? throw new ProtocolException(ProtocolErrorCode.ProtocolError, $"malformed {what}: not an object");
    }

    /// <summary>Rejects a duplicate member name in any object at any depth, including members this side ignores:
    /// two readers that keep different duplicates would otherwise see different messages.</summary>
    /// <remarks>The sets are kept per thread between calls (a large one is let go), since nearly every chat
    /// plaintext is decoded through here.</remarks>
    private static void RejectDuplicateMembers(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8, StrictReader);
        var open = _openMembers ??= new Stack<HashSet<string>?>();
        var spare = _spareMembers ??= new Stack<HashSet<string>>();
        open.Clear();
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                    open.Push(spare.TryPop(out var set) ? set : new HashSet<string>(StringComparer.Ordinal));
                    break;
                case JsonTokenType.StartArray:
                    open.Push(null);
                    break;
                case JsonTokenType.EndObject or JsonTokenType.EndArray:
                    Recycle(open.Pop(), spare);
                    break;
                case JsonTokenType.PropertyName when !open.Peek()!.Add(reader.GetString()!):
                    throw new JsonException("duplicate member name");
            }
        }
    }

    private static void Recycle(HashSet<string>? members, Stack<HashSet<string>> spare)
    {
        if (members is not null && members.Count <= RecycledMembers && spare.Count < RecycledSets)
        {
            members.Clear();
            spare.Push(members);
        }
    }

    private const int RecycledMembers = 64;
    private const int RecycledSets = 8;

    [ThreadStatic]
    private static Stack<HashSet<string>?>? _openMembers;

    [ThreadStatic]
    private static Stack<HashSet<string>>? _spareMembers;

    private static string Describe(Exception e) => e switch
    {
        JsonException { Message: "duplicate member name" } => "duplicate member name",
        JsonException { Path: { Length: > 0 } path } => $"invalid JSON at {Truncate(path)}",
        JsonException => "invalid JSON",
        NotSupportedException => "missing or unknown type",
        _ => "invalid value",
    };

    private static string Truncate(string text) => text.Length <= 64 ? text : text[..64];
}
