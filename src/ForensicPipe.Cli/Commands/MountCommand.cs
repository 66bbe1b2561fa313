using System.CommandLine;
using System.Diagnostics;
using System.Runtime.InteropServices;
using ForensicPipe.Cli.Mount;
using ForensicPipe.Core.Errors;
using ForensicPipe.Formats.ImageAccess;

namespace ForensicPipe.Cli.Commands;

/// <summary>
/// <c>fpipe mount IMAGE MOUNTPOINT [--index-size N] [--foreground] [--verify-reads]</c>: a FUSE file system at
/// MOUNTPOINT holding one read-only file, the partition reconstructed from IMAGE (partclone) or IMAGE itself
/// (a raw file or block device), for <c>fsck -n</c> and <c>mount -o loop,ro</c>. Prints the commands to use,
/// then serves until the file system is unmounted (<c>fusermount3 -u MOUNTPOINT</c>), Ctrl+C or SIGTERM.
/// Without <c>--foreground</c> it starts itself again in the foreground as a background process, waits until
/// the mount is ready, prints the same text and returns.
/// </summary>
internal static class MountCommand
{
    /// <summary>Set in the environment of the background process that <c>fpipe mount</c> starts.</summary>
    internal const string BackgroundChildVariable = "FPIPE_MOUNT_BACKGROUND_CHILD";

    /// <summary>The last line of the text printed once the mount is ready starts with this.</summary>
    internal const string LastLinePrefix = "   fusermount3 -u ";

    public static Command Create(FpipeServices services)
    {
        var image = new Argument<string>("IMAGE")
        {
            Description = "A partclone, partimage (uncompressed volumes), ntfsclone or E01 image, a raw partition image or a block device (seekable: not a pipe, not compressed), or a Clonezilla image folder (its disk and partitions).",
        };
        var mountPoint = new Argument<string>("MOUNTPOINT") { Description = "An empty directory." };
        var indexSize = new Option<int>("--index-size")
        {
            Description = "Blocks per bitmap index entry (power of two, 64..1048576, default 1024): one 8-byte entry each; larger means less memory and slower lookups.",
            DefaultValueFactory = _ => RandomAccessOptions.DefaultIndexSize,
            CustomParser = result => (int)Math.Min(SizeText.ParseCount(result, "--index-size") ?? RandomAccessOptions.DefaultIndexSize, int.MaxValue),
        };
        var foreground = new Option<bool>("--foreground", "-f") { Description = "Stay in the foreground until unmounted (Ctrl+C unmounts); read errors are printed." };
        var verifyReads = new Option<bool>("--verify-reads") { Description = "Check the stored checksum (CRC32, XXH64, XXH3-128) of every checksum group a read touches (once per group); a mismatch fails the read with EIO." };
        var command = new Command("mount", "Expose an image as a read-only virtual partition file through FUSE (for fsck -n and mount -o loop,ro).")
        {
            image, mountPoint, indexSize, foreground, verifyReads,
        };
        Clonezilla.ClonezillaVerbs.AddOptions(command, partition: true);
        command.SetAction(async (parse, cancellationToken) =>
        {
            string path = parse.GetValue(image)!;
            bool folder = Formats.Clonezilla.ClonezillaFolder.LooksLikeFolder(path);
            if (!folder)
            {
                CommandPaths.RequireInput(path, "IMAGE");
            }
            string target = MountPointCheck.Validate(parse.GetValue(mountPoint)!);
            if (!StatLayout.Supported)
            {
                throw new ForensicPipeException($"fpipe mount supports x86-64 and arm64 Linux only, not {RuntimeInformation.ProcessArchitecture}");
            }
            if (!parse.GetValue(foreground))
            {
                return await RunInBackgroundAsync(parse.GetValue(CommonOptions.Quiet), cancellationToken);
            }
            var options = new RandomAccessOptions { IndexSize = parse.GetValue(indexSize), VerifyReads = parse.GetValue(verifyReads) };
            if (folder)
            {
                return await Clonezilla.ClonezillaMount.ServeAsync(services, parse, path, target, options, cancellationToken);
            }
            using IRandomAccessImage partition = await services.Formats.OpenRandomAccessAsync(path, options, cancellationToken);
            return Serve(partition, path, target, parse.GetValue(CommonOptions.Quiet));
        });
        return command;
    }

    /// <summary>The name of the virtual file: the image's name without its extension, as imagebackup's
    /// vpartclone names it (<c>nvme0n1p3.img</c> → <c>nvme0n1p3</c>; docs/architecture.md,
    /// "Prior art the behaviour follows").</summary>
    internal static string VirtualFileName(string imagePath)
    {
        string name = Path.GetFileNameWithoutExtension(Path.TrimEndingDirectorySeparator(imagePath));
        return name.Length == 0 ? "partition" : name;
    }

    private static int Serve(IRandomAccessImage partition, string path, string mountPoint, bool quiet)
    {
        string name = VirtualFileName(path);
        long modified = new DateTimeOffset(File.GetLastWriteTimeUtc(path)).ToUnixTimeSeconds();
        return Serve(new VirtualPartitionFileSystem.State(partition, name, modified), mountPoint, quiet,
            root => PrintInstructions(partition, Path.Combine(mountPoint, name), mountPoint, root));
    }

    /// <summary>Mounts <paramref name="state"/> at <paramref name="mountPoint"/>, prints the instructions (whose last line
    /// starts with <see cref="LastLinePrefix"/>; the argument says whether this process runs as root) unless quiet, and
    /// serves until unmounted.</summary>
    internal static int Serve(VirtualPartitionFileSystem.State state, string mountPoint, bool quiet, Action<bool> printInstructions)
    {
        VirtualPartitionFileSystem.Serve(state);
        bool root = FuseNative.GetEffectiveUserId() == 0;
        using FuseSession session = FuseSession.Mount(mountPoint, allowOther: root || UserAllowOther());
        using PosixSignalRegistration sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using PosixSignalRegistration sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, Stop);
        void Stop(PosixSignalContext signal)
        {
            signal.Cancel = true;
            session.RequestUnmount();
        }

        // The background process always prints: its parent waits for the last line (and, with --quiet, relays none).
        if (!quiet || Environment.GetEnvironmentVariable(BackgroundChildVariable) == "1")
        {
            printInstructions(root);
        }
        int result = session.Run();
        if (!quiet)
        {
            Log($"fpipe: {mountPoint} unmounted");
        }
        return result == 0 ? ExitCodes.Ok : ExitCodes.Failed;
    }

    /// <summary>The closing lines of the instructions: how the process serves and how to unmount.</summary>
    internal static string ServingLines(string mountPoint, bool root)
    {
        string sudo = root ? "" : "sudo ";
        bool background = Environment.GetEnvironmentVariable(BackgroundChildVariable) == "1";
        return (background
            ? $"Serving in the background (process {Environment.ProcessId}). When done, unmount the file system ({sudo}umount '{mountPoint}'), then the virtual partition:\n"
            : $"Serving in the foreground. When done, unmount the file system ({sudo}umount '{mountPoint}'), then press Ctrl+C or run:\n")
            + $"{LastLinePrefix}'{mountPoint}'\n";
    }

    private static void PrintInstructions(IRandomAccessImage partition, string file, string mountPoint, bool root)
    {
        string sudo = root ? "" : "sudo ";
        FileSystemProbe.Kind? fileSystem = FileSystemProbe.Detect(partition);
        string what = partition.Format == RawRandomAccess.FormatName ? "raw" : $"{partition.Format} image, {partition.FileSystem}";
        var text = new System.Text.StringBuilder();
        text.Append($"Virtual partition provided as '{file}' ({partition.Length} bytes, {what}).\n");
        if (partition.IndexMemoryBytes > 0)
        {
            text.Append($"Random-access index in memory: {partition.IndexMemoryBytes} bytes.\n");
        }
        text.Append('\n');
        if (fileSystem is null)
        {
            text.Append($"No file system recognised in it; blkid '{file}' may tell more.\n\n");
            text.Append($"It can be mounted as a read-only file system at '{mountPoint}' with this command:\n");
            text.Append($"   {sudo}mount -o loop,ro '{file}' '{mountPoint}'\n\n");
        }
        else
        {
            text.Append($"The {fileSystem.Name} file system of this virtual partition can be checked with this command:\n");
            text.Append($"   {fileSystem.CheckCommand} '{file}'\n\n");
            text.Append($"This virtual partition can be mounted as a read-only file system at '{mountPoint}' with this command:\n");
            text.Append($"   {sudo}mount -t {fileSystem.MountType} -o loop,ro '{file}' '{mountPoint}'\n\n");
        }
        text.Append(ServingLines(mountPoint, root));
        Console.Out.Write(text.ToString());
        Console.Out.Flush();
    }

    /// <summary>Whether /etc/fuse.conf lets users mount with allow_other.</summary>
    private static bool UserAllowOther()
    {
        try
        {
            return File.ReadLines("/etc/fuse.conf").Any(line => line.Trim() == "user_allow_other");
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>A line on standard error that cannot fail: in the background the reader of the pipe is gone.</summary>
    internal static void Log(string line)
    {
        try
        {
            Console.Error.WriteLine(line);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Starts this command again with <c>--foreground</c> in a new session (no terminal signals), relays
    /// its text until the mount is ready, and returns; when it ends before that, relays its errors and
    /// returns its exit code.</summary>
    private static async Task<int> RunInBackgroundAsync(bool quiet, CancellationToken cancellationToken)
    {
        string executable = Environment.ProcessPath ?? throw new ForensicPipeException("cannot find the fpipe executable to start in the background; use --foreground");
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        string[] commandLine = Environment.GetCommandLineArgs();
        // Run as `dotnet fpipe.dll …`: the first argument is the assembly; as the apphost it is the program.
        if (Path.GetFileNameWithoutExtension(executable) == "dotnet")
        {
            start.ArgumentList.Add(commandLine[0]);
        }
        foreach (string argument in commandLine.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }
        start.ArgumentList.Add("--foreground");
        start.Environment[BackgroundChildVariable] = "1";
        using Process child = Process.Start(start) ?? throw new ForensicPipeException($"cannot start {executable} in the background");
        child.StandardInput.Close();
        Task<string> errors = child.StandardError.ReadToEndAsync(cancellationToken);
        while (await child.StandardOutput.ReadLineAsync(cancellationToken) is string line)
        {
            if (!quiet)
            {
                Console.Out.WriteLine(line);
            }
            if (line.StartsWith(LastLinePrefix, StringComparison.Ordinal))
            {
                return ExitCodes.Ok;
            }
        }
        await child.WaitForExitAsync(cancellationToken);
        Console.Error.Write(await errors);
        return child.ExitCode;
    }
}
