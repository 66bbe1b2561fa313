namespace ForensicPipe.Formats.Ewf;

/// <summary>A run of sectors that could not be read at acquisition, as an error2 entry stores it.</summary>
/// <param name="FirstSector">First sector of the run.</param>
/// <param name="SectorCount">Sectors in the run.</param>
public readonly record struct EwfErrorRange(long FirstSector, long SectorCount);
