using System.Buffers.Binary;

namespace ForensicPipe.Formats.Tests.Ntfsclone;

/// <summary>One record of an ntfsclone image, found by the test's own walk (independent of the reader).</summary>
internal sealed record NtfscloneRecord(long Offset, byte Tag, long Cluster, long GapCount, long PayloadLength);

/// <summary>A plain walk over the records of a well-formed image (docs/formats/ntfsclone.md, "Record stream"), to find
/// where the tests corrupt it.</summary>
internal static class NtfscloneRecordWalk
{
    public static List<NtfscloneRecord> Walk(byte[] image)
    {
        int clusterSize = BinaryPrimitives.ReadInt32LittleEndian(image.AsSpan(18));
        long deviceSize = BinaryPrimitives.ReadInt64LittleEndian(image.AsSpan(22));
        long position = BinaryPrimitives.ReadUInt32LittleEndian(image.AsSpan(46));
        long cluster = 0;
        var records = new List<NtfscloneRecord>();
        while (position < image.Length)
        {
            byte tag = image[position];
            if (tag == 1)
            {
                long length = (cluster + 1) * clusterSize >= deviceSize ? deviceSize - (cluster * clusterSize) : clusterSize;
                records.Add(new NtfscloneRecord(position, tag, cluster, 0, length));
                position += 1 + length;
                cluster++;
            }
            else
            {
                Assert.Equal(0, tag);
                long count = BinaryPrimitives.ReadInt64LittleEndian(image.AsSpan((int)position + 1));
                records.Add(new NtfscloneRecord(position, tag, cluster, count, 0));
                position += 9;
                cluster += count;
            }
        }
        Assert.Equal(image.Length, position);
        return records;
    }
}
