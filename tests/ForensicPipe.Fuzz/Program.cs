using ForensicPipe.Core.Errors;
using ForensicPipe.Fuzz;
using SharpFuzz;

// ForensicPipe.Fuzz list | TARGET [--libfuzzer] | replay TARGET FILE... | campaign TARGET SECONDS CORPUS_DIR | bench TARGET N FILE
// (docs/fuzzing.md, "Running").
if (args.Length == 0 || args[0] is "-h" or "--help")
{
    Console.Error.WriteLine("usage: ForensicPipe.Fuzz list | TARGET [--libfuzzer] | replay TARGET FILE... | campaign TARGET SECONDS CORPUS_DIR | bench TARGET N FILE");
    return 2;
}
if (args[0] == "list")
{
    foreach (FuzzTarget each in FuzzTargets.All)
    {
        Console.WriteLine($"{each.Name}\t{each.CorpusName}\t{each.Description}");
    }
    return 0;
}
bool replay = args[0] == "replay";
bool campaign = args[0] == "campaign";
bool bench = args[0] == "bench";
string name = replay || campaign || bench ? (args.Length > 1 ? args[1] : "") : args[0];
if (!FuzzTargets.Names.Contains(name))
{
    Console.Error.WriteLine($"no fuzz target '{name}'; 'list' shows them");
    return 2;
}
if (!replay && !campaign && !bench)
{
    return Fuzz(name, args.Contains("--libfuzzer"));
}
FuzzTarget target = Prepare(name);
if (campaign)
{
    // In process, without afl-fuzz: seeds, then fixed-seed mutations (no coverage feedback) for SECONDS.
    byte[][] seeds = [.. Directory.EnumerateFiles(args[3]).Order(StringComparer.Ordinal).Select(File.ReadAllBytes)];
    CampaignResult result = InProcessCampaign.Run(target, seeds, int.MaxValue - seeds.Length, 16, TimeSpan.FromSeconds(double.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture)));
    Console.WriteLine($"{result.Target} executions={result.Executions} execs_per_s={result.ExecutionsPerSecond:F0} rejected={result.Rejected} " +
        $"crashes={result.Defects.Count(d => d.Kind != "hang")} hangs={result.Defects.Count(d => d.Kind == "hang")} slowest_ms={result.Slowest.TotalMilliseconds:F0}");
    foreach (FuzzDefect defect in result.Defects.Take(5))
    {
        Console.WriteLine($"  {defect.Kind}: {defect.Description}");
    }
    return result.Defects.Count == 0 ? 0 : 1;
}
using var scratch = new FuzzScratch();
if (bench)
{
    // One input N times in this thread: time (wall and CPU), bytes allocated and collections per execution.
    byte[] input = File.ReadAllBytes(args[3]);
    int count = int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture);
    for (int i = 0; i < Math.Min(count, 50); i++)
    {
        FuzzRunner.RunOne(target, input, scratch); // warm-up: JIT, pools
    }
    using var self = System.Diagnostics.Process.GetCurrentProcess();
    long allocated = GC.GetTotalAllocatedBytes(precise: true);
    int gen0 = GC.CollectionCount(0), gen2 = GC.CollectionCount(2);
    TimeSpan cpu = self.TotalProcessorTime;
    var clock = System.Diagnostics.Stopwatch.StartNew();
    for (int i = 0; i < count; i++)
    {
        FuzzRunner.RunOne(target, input, scratch);
    }
    clock.Stop();
    self.Refresh();
    Console.WriteLine($"{name} {Path.GetFileName(args[3])}: {clock.Elapsed.TotalMicroseconds / count:F0} us/exec wall, " +
        $"{(self.TotalProcessorTime - cpu).TotalMicroseconds / count:F0} us/exec CPU (all threads), " +
        $"{(GC.GetTotalAllocatedBytes(precise: true) - allocated) / count} B/exec allocated, gen0 {GC.CollectionCount(0) - gen0}, gen2 {GC.CollectionCount(2) - gen2} collections, load {File.ReadAllText("/proc/loadavg")[..14]}");
    return 0;
}
if (replay)
{
    // Runs saved inputs (afl's crashes/ and hangs/) and says what each did.
    foreach (string file in args.Skip(2))
    {
        byte[] input = File.ReadAllBytes(file);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        ForensicPipeException? rejection = FuzzRunner.RunOne(target, input, scratch);
        Console.WriteLine($"{file}: {clock.ElapsedMilliseconds} ms, {(rejection is null ? "read to the end" : $"rejected: {rejection.Message}")}");
    }
    return 0;
}
return 0;

// Under afl-fuzz or libFuzzer: nothing of the (instrumented) formats may run before SharpFuzz maps its coverage
// memory, so the target is prepared inside the callback.
static int Fuzz(string name, bool libFuzzer)
{
    using var scratch = new FuzzScratch();
    FuzzTarget? target = null;
    if (libFuzzer)
    {
        Fuzzer.LibFuzzer.Run(input => FuzzRunner.RunOne(target ??= Prepare(name), input, scratch));
    }
    else
    {
        byte[] buffer = new byte[FuzzRunner.MaxInputBytes + 1];
        Fuzzer.OutOfProcess.Run(stream =>
        {
            int length = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
            FuzzRunner.RunOne(target ??= Prepare(name), buffer.AsSpan(0, length), scratch);
        });
    }
    return 0;
}

// The target, with compressed inputs decoded on the reader's thread: the branches an input takes then do not depend
// on how two threads interleave (docs/fuzzing.md, "Stability"). Every command of this program runs so, so that bench
// and replay see what the engines ran; the test run's in-process campaign (another process) keeps the decoder thread.
static FuzzTarget Prepare(string name)
{
    ForensicPipe.Formats.Input.DecoderThreadStream.DecodeOnReaderThread = true;
    return FuzzTargets.Find(name)!;
}
