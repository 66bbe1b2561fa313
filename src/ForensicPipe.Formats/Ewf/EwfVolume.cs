using System.Buffers.Binary;

namespace ForensicPipe.Formats.Ewf;

/// <summary>The volume section's payload (repeated as the <c>data</c> section): the media geometry, chunk
/// count, compression level, error granularity and set GUID (docs/formats/e01.md).</summary>
internal readonly record struct EwfVolume(
    byte MediaType, uint ChunkCount, uint SectorsPerChunk, uint BytesPerSector, ulong SectorCount,
    byte MediaFlags, byte CompressionLevel, uint ErrorGranularity, Guid SetIdentifier)
{
    /// <summary>Media type of a fixed disk (<c>0x01</c>); removable is 0x00, optical 0x03, memory 0x10.</summary>
    public const byte FixedDisk = 0x01;

    /// <summary>Media flag: an image (always set by ewfacquire).</summary>
    public const byte ImageFlag = 0x01;

    /// <summary>Media flag: a physical device rather than a logical volume.</summary>
    public const byte PhysicalFlag = 0x02;

    /// <summary>Bytes per chunk.</summary>
    public long ChunkSize => (long)SectorsPerChunk * BytesPerSector;

    /// <summary>Bytes of media.</summary>
    public long MediaSize => (long)SectorCount * BytesPerSector;

    /// <summary>Parses the 1052-byte payload at <paramref name="offset"/> (the payload's file offset), checking
    /// its Adler-32 and the limits a reader must enforce before allocating anything.</summary>
    public static EwfVolume Parse(ReadOnlySpan<byte> data, string segment, long offset)
    {
        uint stored = BinaryPrimitives.ReadUInt32LittleEndian(data[EwfFieldOffsets.VolumeChecksum..]);
        uint computed = EwfAdler32.Compute(data[..EwfFieldOffsets.VolumeChecksum]);
        if (stored != computed)
        {
            EwfThrowHelper.ThrowInvalid(segment, "volume checksum", offset + EwfFieldOffsets.VolumeChecksum,
                $"stored Adler-32 {stored:x8}, computed {computed:x8}");
        }
        var volume = new EwfVolume(
            data[EwfFieldOffsets.VolumeMediaType],
            BinaryPrimitives.ReadUInt32LittleEndian(data[EwfFieldOffsets.VolumeChunkCount..]),
            BinaryPrimitives.ReadUInt32LittleEndian(data[EwfFieldOffsets.VolumeSectorsPerChunk..]),
            BinaryPrimitives.ReadUInt32LittleEndian(data[EwfFieldOffsets.VolumeBytesPerSector..]),
            BinaryPrimitives.ReadUInt64LittleEndian(data[EwfFieldOffsets.VolumeSectorCount..]),
            data[EwfFieldOffsets.VolumeMediaFlags],
            data[EwfFieldOffsets.VolumeCompressionLevel],
            BinaryPrimitives.ReadUInt32LittleEndian(data[EwfFieldOffsets.VolumeErrorGranularity..]),
            new Guid(data.Slice(EwfFieldOffsets.VolumeGuid, EwfFieldOffsets.VolumeGuidLength)));
        if (volume.BytesPerSector is 0 or > EwfFormat.MaxBytesPerSector || !uint.IsPow2(volume.BytesPerSector))
        {
            EwfThrowHelper.ThrowInvalid(segment, "volume bytes per sector", offset + EwfFieldOffsets.VolumeBytesPerSector,
                $"{volume.BytesPerSector} is not a power of two up to {EwfFormat.MaxBytesPerSector}");
        }
        if (volume.SectorsPerChunk == 0 || volume.ChunkSize > EwfFormat.MaxChunkSize)
        {
            EwfThrowHelper.ThrowInvalid(segment, "volume sectors per chunk", offset + EwfFieldOffsets.VolumeSectorsPerChunk,
                $"{volume.SectorsPerChunk} sectors of {volume.BytesPerSector} bytes is not a chunk of 1 to {EwfFormat.MaxChunkSize} bytes");
        }
        ulong chunksNeeded = (volume.SectorCount + volume.SectorsPerChunk - 1) / volume.SectorsPerChunk;
        if (volume.SectorCount > (ulong)long.MaxValue / volume.BytesPerSector || chunksNeeded != volume.ChunkCount)
        {
            EwfThrowHelper.ThrowInvalid(segment, "volume sector count", offset + EwfFieldOffsets.VolumeSectorCount,
                $"{volume.SectorCount} sectors need {chunksNeeded} chunks of {volume.SectorsPerChunk} sectors, the volume claims {volume.ChunkCount}");
        }
        return volume;
    }

    /// <summary>Writes the 1052-byte payload with its checksum.</summary>
    public void Write(Span<byte> destination)
    {
        Span<byte> data = destination[..EwfFormat.VolumeDataSize];
        data.Clear();
        data[EwfFieldOffsets.VolumeMediaType] = MediaType;
        BinaryPrimitives.WriteUInt32LittleEndian(data[EwfFieldOffsets.VolumeChunkCount..], ChunkCount);
        BinaryPrimitives.WriteUInt32LittleEndian(data[EwfFieldOffsets.VolumeSectorsPerChunk..], SectorsPerChunk);
        BinaryPrimitives.WriteUInt32LittleEndian(data[EwfFieldOffsets.VolumeBytesPerSector..], BytesPerSector);
        BinaryPrimitives.WriteUInt64LittleEndian(data[EwfFieldOffsets.VolumeSectorCount..], SectorCount);
        data[EwfFieldOffsets.VolumeMediaFlags] = MediaFlags;
        data[EwfFieldOffsets.VolumeCompressionLevel] = CompressionLevel;
        BinaryPrimitives.WriteUInt32LittleEndian(data[EwfFieldOffsets.VolumeErrorGranularity..], ErrorGranularity);
        SetIdentifier.TryWriteBytes(data.Slice(EwfFieldOffsets.VolumeGuid, EwfFieldOffsets.VolumeGuidLength));
        BinaryPrimitives.WriteUInt32LittleEndian(data[EwfFieldOffsets.VolumeChecksum..], EwfAdler32.Compute(data[..EwfFieldOffsets.VolumeChecksum]));
    }
}
