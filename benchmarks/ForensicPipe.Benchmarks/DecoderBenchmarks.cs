using System.Buffers;
using System.Diagnostics;
using System.IO.Compression;
using BenchmarkDotNet.Attributes;
using ForensicPipe.Formats.Input;
using ICSharpCode.SharpZipLib.BZip2;
using K4os.Compression.LZ4.Streams;
using SharpCompress.Compressors.Xz;
using ZstdSharp;

namespace ForensicPipe.Benchmarks;

/// <summary>
/// Decompression of a page-cached 64 MiB partclone-like payload (half random 4 KiB blocks, half repeated bytes) that the
/// real tools compressed (<c>zstd -3</c>, <c>xz -6</c>, <c>lz4</c>, <c>pigz</c>, <c>bzip2</c>): the system library
/// through <see cref="ICompressedDecoder"/> (what fpipe uses) against the managed decoder of each (ZstdSharp.Port,
/// SharpCompress, K4os.Compression.LZ4.Streams, the BCL's GZipStream, SharpZipLib). One thread, no decoder thread, so
/// the figures compare decoders only. Decompressed MB/s = 64 MiB / Mean. [GlobalSetup] checks every decoder's output
/// against the original before anything is timed.
/// </summary>
[MemoryDiagnoser]
public class DecoderBenchmarks
{
    private const int Size = 64 << 20;
    private readonly byte[] _output = new byte[1 << 20];
    private readonly Dictionary<string, byte[]> _compressed = [];

    [Params("zstd", "xz", "lz4", "gzip", "bzip2")]
    public string Compressor { get; set; } = "zstd";

    /// <summary>Compresses the payload with the tool of <see cref="Compressor"/> once per process (kept in
    /// FPIPE_BENCH_DECODER_DIR, default /tmp/fpipe-bench-decoders, for the next run) and checks both decoders.</summary>
    [GlobalSetup]
    public void Setup()
    {
        string directory = Environment.GetEnvironmentVariable("FPIPE_BENCH_DECODER_DIR") ?? "/tmp/fpipe-bench-decoders";
        Directory.CreateDirectory(directory);
        byte[] data = Sample(Size);
        string original = Path.Combine(directory, "data");
        if (!File.Exists(original) || new FileInfo(original).Length != Size)
        {
            File.WriteAllBytes(original, data);
        }
        string command = Compressor switch
        {
            "zstd" => "zstd -q -3 -c data",
            "xz" => "xz -6 -c data",
            "lz4" => "lz4 -q -c data",
            "gzip" => "pigz -c data",
            _ => "bzip2 -c data",
        };
        string compressed = Path.Combine(directory, $"data.{Compressor}");
        if (!File.Exists(compressed))
        {
            Run(directory, $"{command} > data.{Compressor}.tmp && mv data.{Compressor}.tmp data.{Compressor}");
        }
        _compressed[Compressor] = File.ReadAllBytes(compressed);
        Check(data, DecodeNative, "system library");
        Check(data, DecodeManaged, "managed");
    }

    [Benchmark(Baseline = true, Description = "system library")]
    public long Native() => DecodeNative(null);

    [Benchmark(Description = "managed")]
    public long Managed() => DecodeManaged(null);

    private long DecodeNative(Stream? sink)
    {
        byte[] input = _compressed[Compressor];
        using ICompressedDecoder decoder = Compressor switch
        {
            "zstd" => new ZstdDecoder(),
            "xz" => new XzDecoder(),
            "lz4" => new Lz4Decoder(),
            "gzip" => new GzipDecoder(),
            _ => new Bzip2Decoder(),
        };
        long total = 0;
        int position = 0;
        while (true)
        {
            // Input in 256 KiB reads, as the decoder thread feeds it.
            int end = Math.Min(input.Length, position + (256 * 1024));
            OperationStatus status = decoder.Decode(input.AsSpan(position, end - position), _output, end == input.Length, out int consumed, out int written);
            position += consumed;
            total += written;
            sink?.Write(_output, 0, written);
            if (status == OperationStatus.Done)
            {
                return total;
            }
        }
    }

    private long DecodeManaged(Stream? sink)
    {
        var input = new MemoryStream(_compressed[Compressor], writable: false);
        using Stream decoder = Compressor switch
        {
            "zstd" => new DecompressionStream(input),
            "xz" => new XZStream(input),
            "lz4" => LZ4Stream.Decode(input),
            "gzip" => new GZipStream(input, CompressionMode.Decompress),
            _ => new BZip2InputStream(input),
        };
        long total = 0;
        int n;
        while ((n = decoder.Read(_output)) > 0)
        {
            total += n;
            sink?.Write(_output, 0, n);
        }
        return total;
    }

    private void Check(byte[] data, Func<Stream?, long> decode, string which)
    {
        using var decoded = new MemoryStream(data.Length);
        long total = decode(decoded);
        if (total != data.Length || !decoded.GetBuffer().AsSpan(0, (int)decoded.Length).SequenceEqual(data))
        {
            throw new InvalidOperationException($"{Compressor} {which}: the decoded bytes differ from the original");
        }
    }

    private static byte[] Sample(int length)
    {
        var random = new Random(1);
        byte[] data = new byte[length];
        for (int i = 0; i < length; i += 4096)
        {
            Span<byte> block = data.AsSpan(i, 4096);
            if ((i / 4096) % 2 == 0)
            {
                random.NextBytes(block);
            }
            else
            {
                block.Fill((byte)(i / 4096));
            }
        }
        return data;
    }

    private static void Run(string directory, string command)
    {
        var start = new ProcessStartInfo("bash") { WorkingDirectory = directory };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(command);
        using Process process = Process.Start(start)!;
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"`{command}` exited {process.ExitCode}");
        }
    }
}
