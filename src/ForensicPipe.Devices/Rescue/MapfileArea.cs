namespace ForensicPipe.Devices.Rescue;

/// <summary>One line of a ddrescue mapfile's block list.</summary>
/// <param name="Position">First byte.</param>
/// <param name="Size">Bytes.</param>
/// <param name="Status"><c>+</c> finished, <c>-</c> bad sector, <c>?</c> not tried (ddrescue manual, "Mapfile structure").</param>
public readonly record struct MapfileArea(long Position, long Size, char Status);
