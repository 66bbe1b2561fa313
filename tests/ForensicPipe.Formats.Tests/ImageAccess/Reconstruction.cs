using System.Security.Cryptography;
using ForensicPipe.Formats.ImageAccess;

namespace ForensicPipe.Formats.Tests.ImageAccess;

/// <summary>An image's partition rebuilt in memory by the sequential reader (ImageBlockReader, zero fill),
/// as the reference for random reads. Its SHA-256 is checked against partclone.restore's by the tests.</summary>
internal sealed class Reconstruction
{
    private Reconstruction(byte[] bytes, List<(long Offset, long Length)> pieces)
    {
        Bytes = bytes;
        Pieces = pieces;
    }

    public byte[] Bytes { get; }

    /// <summary>The data pieces the callback received, in order.</summary>
    public List<(long Offset, long Length)> Pieces { get; }

    public string Sha256 => Convert.ToHexStringLower(SHA256.HashData(Bytes));

    public static async Task<Reconstruction> BuildAsync(string image)
    {
        var pieces = new List<(long, long)>();
        long size;
        await using (var reader = ForensicPipe.Formats.Partclone.PartcloneReader.Open(image))
        {
            size = (await reader.OpenAsync(CancellationToken.None)).Size!.Value;
        }
        byte[] bytes = new byte[size];
        await ImageBlockReader.ReadAsync(image, (offset, data) =>
        {
            data.CopyTo(bytes.AsSpan(checked((int)offset)));
            pieces.Add((offset, data.Length));
        });
        return new Reconstruction(bytes, pieces);
    }
}
