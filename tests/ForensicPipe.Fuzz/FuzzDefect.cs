namespace ForensicPipe.Fuzz;

/// <summary>An input that made a target fail (crash, hang or allocation), with what happened.</summary>
/// <param name="Target">The target's name.</param>
/// <param name="Kind"><c>crash</c>, <c>hang</c> or <c>allocation</c>.</param>
/// <param name="Description">The exception (type, message, first frames) or the time or bytes seen.</param>
/// <param name="Input">The input.</param>
public sealed record FuzzDefect(string Target, string Kind, string Description, byte[] Input);
