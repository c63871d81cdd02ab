namespace SecureChat.TestSupport;

/// <summary>Marker for the shared test support assembly.</summary>
public static class TestSupportAssembly;
