using Microsoft.Win32.SafeHandles;

namespace ForensicPipe.Cli.Tests.Mount;

/// <summary>The real fpipe mount through /dev/fuse (the tests run as root; .ci/run installs fuse3).</summary>
public sealed class MountCommandTests(MountCorpusFixture corpus) : IClassFixture<MountCorpusFixture>
{
    [Theory]
    [InlineData("ext4.pc", "ext4")]
    [InlineData("fat.pc", "fat")]
    [InlineData("ntfs-empty.pc", "ntfs-empty")]
    public void Mount_PartcloneImage_FileEqualsOurSequentialReconstruction(string image, string name)
    {
        using var work = new TempDirectory();
        using var mounted = new MountedImage(corpus.File(image), work.File("mnt"));

        Assert.Equal([name], Directory.GetFileSystemEntries(mounted.MountPoint).Select(Path.GetFileName));
        string reference = corpus.File(image + ".restored");
        Assert.Equal(new FileInfo(reference).Length, new FileInfo(mounted.File(name)).Length);
        Assert.Equal(FileHash.Sha256(reference), FileHash.Sha256(mounted.File(name)));
        AssertRandomReadsEqual(mounted.File(name), reference, image.Length);
        Assert.Contains($"Virtual partition provided as '{mounted.File(name)}'", mounted.Stdout);
    }

    private static void AssertRandomReadsEqual(string mountedFile, string reference, int seed)
    {
        using SafeFileHandle virtualFile = File.OpenHandle(mountedFile, options: FileOptions.RandomAccess);
        using SafeFileHandle expected = File.OpenHandle(reference, options: FileOptions.RandomAccess);
        long size = RandomAccess.GetLength(expected);
        var random = new Random(seed);
        byte[] ours = new byte[600_000];
        byte[] theirs = new byte[ours.Length];
        for (int i = 0; i < 3000; i++)
        {
            long offset = random.NextInt64(0, size + 100);
            int length = random.Next(3) == 0 ? random.Next(1, 5000) : random.Next(1, ours.Length);
            int got = ReadFully(virtualFile, ours.AsSpan(0, length), offset);
            int want = ReadFully(expected, theirs.AsSpan(0, length), offset);
            Assert.Equal(want, got);
            Assert.True(ours.AsSpan(0, got).SequenceEqual(theirs.AsSpan(0, want)), $"bytes differ at [{offset}, +{length})");
        }
    }

    private static int ReadFully(SafeFileHandle handle, Span<byte> buffer, long offset)
    {
        int done = 0;
        while (done < buffer.Length)
        {
            int n = RandomAccess.Read(handle, buffer[done..], offset + done);
            if (n == 0)
            {
                break;
            }
            done += n;
        }
        return done;
    }

    [Fact]
    public void Mount_Ext4_FsckCleanAndLoopMountShowsTheSourceTree()
    {
        using var work = new TempDirectory();
        using var mounted = new MountedImage(corpus.File("ext4.pc"), work.File("mnt"));
        string file = mounted.File("ext4");
        Assert.Contains($"e2fsck -fn '{file}'", mounted.Stdout);
        Assert.Contains($"mount -t ext4 -o loop,ro '{file}'", mounted.Stdout);

        ExternalTool.Shell("/", $"e2fsck -fn '{file}'");
        mounted.LoopMount(file, work.File("inside"), "ext4");
        AssertSameTree(corpus.SourceTree, work.File("inside"), ignore: ["lost+found"]);
    }

    [Theory]
    [InlineData("ext2.pimg.000")]
    [InlineData("ext2mv.pimg.000")]
    public void Mount_PartimageImage_IsTheOriginalPartitionFsckCleanAndShowsTheSourceTree(string image)
    {
        using var work = new TempDirectory();
        using var mounted = new MountedImage(corpus.File(image), work.File("mnt"));
        string file = mounted.File(Path.GetFileNameWithoutExtension(image));

        // docs/formats/partimage.md, "Known-answer values": partimage images of corpus B reconstruct to ext2.raw,
        // across volumes and CHK records.
        Assert.Equal(FileHash.Sha256(corpus.File("ext2.raw")), FileHash.Sha256(file));
        AssertRandomReadsEqual(file, corpus.File("ext2.raw"), image.Length);
        ExternalTool.Shell("/", $"e2fsck -fn '{file}'");
        mounted.LoopMount(file, work.File("inside"), "ext2");
        AssertSameTree(corpus.SourceTree, work.File("inside"), ignore: ["lost+found"]);
    }

    [Fact]
    public void Mount_Fat_FsckCleanAndFilesEqualTheSourceTree()
    {
        using var work = new TempDirectory();
        using var mounted = new MountedImage(corpus.File("fat.pc"), work.File("mnt"));
        string file = mounted.File("fat");
        Assert.Contains($"fsck.vfat -n '{file}'", mounted.Stdout);

        ExternalTool.Shell("/", $"fsck.vfat -n '{file}'");
        // This machine's kernel has no vfat module (mount: unknown filesystem type 'vfat'), so the files are
        // read from the virtual partition with mtools instead of a loop mount.
        Directory.CreateDirectory(work.File("copied"));
        ExternalTool.Shell("/", $"mcopy -s -n -i '{file}' ::/bin ::/docs '{work.File("copied")}'");
        AssertSameTree(corpus.SourceTree, work.File("copied"), ignore: []);
    }

    [Fact]
    public void Mount_Ntfs_NtfsfixAsOnTheRestoreAndLoopMountListsTheSameFiles()
    {
        using var work = new TempDirectory();
        using var mounted = new MountedImage(corpus.File("ntfs-empty.pc"), work.File("mnt"));
        string file = mounted.File("ntfs-empty");
        Assert.Contains($"ntfsfix --no-action '{file}'", mounted.Stdout);

        // partclone.ntfs does not save the backup boot sector (docs/formats/partclone.md, "Reconstruction"), so ntfsfix
        // reports it on the restored partition too: the virtual file must get the same verdict.
        string onMount = ExternalTool.Shell("/", $"ntfsfix --no-action '{file}' 2>&1; echo exit=$?");
        string onRestore = ExternalTool.Shell("/", $"ntfsfix --no-action '{corpus.File("ntfs-empty.pc.restored")}' 2>&1; echo exit=$?");
        Assert.Contains("Mounting volume... OK", onMount);
        Assert.Equal(onRestore.Replace(corpus.File("ntfs-empty.pc.restored"), "X", StringComparison.Ordinal), onMount.Replace(file, "X", StringComparison.Ordinal));

        mounted.LoopMount(file, work.File("inside"));
        string listing = ExternalTool.Shell(work.File("inside"), "find . | sort");
        using var raw = new MountedLoop(corpus.File("ntfs-empty.raw"), work.File("raw"));
        Assert.Equal(ExternalTool.Shell(work.File("raw"), "find . | sort"), listing);
    }

    [Fact]
    public void Mount_NtfscloneImage_FileIsTheOriginalPartitionNtfsfixCleanAndLoopMountListsTheSameFiles()
    {
        using var work = new TempDirectory();
        using var mounted = new MountedImage(corpus.File("ntfs-empty.ntfsclone"), work.File("mnt"));
        string file = mounted.File("ntfs-empty");

        // An ntfsclone image keeps the backup boot sector (docs/formats/ntfsclone.md, "Reconstruction"): the file is
        // the source partition itself.
        Assert.Equal(FileHash.Sha256(corpus.File("ntfs-empty.raw")), FileHash.Sha256(file));
        AssertRandomReadsEqual(file, corpus.File("ntfs-empty.raw"), 11);
        Assert.Contains($"ntfsfix --no-action '{file}'", mounted.Stdout);
        Assert.Contains("exit=0", ExternalTool.Shell("/", $"ntfsfix --no-action '{file}' >/dev/null 2>&1; echo exit=$?"));

        mounted.LoopMount(file, work.File("inside"));
        string listing = ExternalTool.Shell(work.File("inside"), "find . | sort");
        using var raw = new MountedLoop(corpus.File("ntfs-empty.raw"), work.File("raw"));
        Assert.Equal(ExternalTool.Shell(work.File("raw"), "find . | sort"), listing);
    }

    [Fact]
    public void Mount_RawFile_ReadOnlyViewOfTheFile()
    {
        using var work = new TempDirectory();
        using var mounted = new MountedImage(corpus.File("ext4.raw"), work.File("mnt"));
        string file = mounted.File("ext4");
        Assert.Equal(FileHash.Sha256(corpus.File("ext4.raw")), FileHash.Sha256(file));
        AssertRandomReadsEqual(file, corpus.File("ext4.raw"), 7);
        Assert.Contains("bytes, raw)", mounted.Stdout);
        mounted.LoopMount(file, work.File("inside"), "ext4");
        AssertSameTree(corpus.SourceTree, work.File("inside"), ignore: ["lost+found"]);
    }

    [Fact]
    public void Mount_EveryChange_FailsWithErofsOrEacces_AndTheImageIsUntouched()
    {
        string image = corpus.File("ext4.pc");
        string hashBefore = FileHash.Sha256(image);
        DateTime modifiedBefore = File.GetLastWriteTimeUtc(image);
        using var work = new TempDirectory();
        using (var mounted = new MountedImage(image, work.File("mnt")))
        {
            string file = mounted.File("ext4");
            // Each attempt prints the errno name; python3 comes with the test machine (mkcorpus.sh needs it).
            string script = $$"""
                import errno, os
                f = {{Quote(file)}}; d = {{Quote(mounted.MountPoint)}}
                def attempt(name, action):
                    try:
                        action(); print(name, "SUCCEEDED")
                    except OSError as e:
                        print(name, errno.errorcode[e.errno])
                attempt("open-write", lambda: os.close(os.open(f, os.O_WRONLY)))
                attempt("open-rdwr", lambda: os.close(os.open(f, os.O_RDWR)))
                attempt("open-trunc", lambda: os.close(os.open(f, os.O_RDONLY | os.O_TRUNC)))
                attempt("truncate", lambda: os.truncate(f, 0))
                attempt("chmod", lambda: os.chmod(f, 0o666))
                attempt("chown", lambda: os.chown(f, 1, 1))
                attempt("utime", lambda: os.utime(f, (0, 0)))
                attempt("create", lambda: os.close(os.open(d + "/new", os.O_CREAT | os.O_WRONLY)))
                attempt("mkdir", lambda: os.mkdir(d + "/dir"))
                attempt("unlink", lambda: os.unlink(f))
                attempt("rename", lambda: os.rename(f, d + "/other"))
                attempt("setxattr", lambda: os.setxattr(f, "user.x", b"1"))
                """;
            File.WriteAllText(work.File("attempt.py"), script);
            string[] results = ExternalTool.Shell("/", $"python3 '{work.File("attempt.py")}'").Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(12, results.Length);
            foreach (string result in results)
            {
                Assert.True(result.EndsWith(" EROFS", StringComparison.Ordinal) || result.EndsWith(" EACCES", StringComparison.Ordinal), result);
            }
            Assert.Equal(FileHash.Sha256(corpus.File("ext4.pc.restored")), FileHash.Sha256(file));
        }
        Assert.Equal(hashBefore, FileHash.Sha256(image));
        Assert.Equal(modifiedBefore, File.GetLastWriteTimeUtc(image));
    }

    private static string Quote(string text) => "'" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";

    [Fact]
    public void Mount_CtrlC_UnmountsAndExits0()
    {
        using var work = new TempDirectory();
        using var mounted = new MountedImage(corpus.File("fat-empty.pc"), work.File("mnt"));
        ExternalTool.Shell("/", $"kill -INT {mounted.Process.Id}");
        Assert.True(mounted.Process.WaitForExit(TimeSpan.FromSeconds(30)), "fpipe mount did not end on SIGINT");
        Assert.Equal(0, mounted.Process.ExitCode);
        Assert.False(MountedImage.IsMounted(mounted.MountPoint));
        Assert.Contains("unmounted", mounted.Stderr);
    }

    [Fact]
    public void Mount_Sigterm_UnmountsAndExits0()
    {
        using var work = new TempDirectory();
        using var mounted = new MountedImage(corpus.File("fat-empty.pc"), work.File("mnt"));
        ExternalTool.Shell("/", $"kill -TERM {mounted.Process.Id}");
        Assert.True(mounted.Process.WaitForExit(TimeSpan.FromSeconds(30)), "fpipe mount did not end on SIGTERM");
        Assert.Equal(0, mounted.Process.ExitCode);
        Assert.False(MountedImage.IsMounted(mounted.MountPoint));
    }

    [Fact]
    public void Mount_WithoutForeground_ReturnsOnceReady_AndTheBackgroundProcessEndsAtUnmount()
    {
        using var work = new TempDirectory();
        string mountPoint = work.File("mnt");
        Directory.CreateDirectory(mountPoint);
        try
        {
            FpipeProcess.Outcome run = FpipeProcess.Run(work.Path, "mount", corpus.File("ext4.pc"), mountPoint);
            Assert.True(run.ExitCode == 0, run.Stderr);
            Assert.Contains("Serving in the background (process ", run.Stdout);
            int pid = int.Parse(run.Stdout.Split("(process ")[1].Split(')')[0]);
            Assert.True(MountedImage.IsMounted(mountPoint));
            Assert.Equal(FileHash.Sha256(corpus.File("ext4.pc.restored")), FileHash.Sha256(Path.Combine(mountPoint, "ext4")));

            ExternalTool.Shell("/", $"fusermount3 -u '{mountPoint}'");
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (Directory.Exists($"/proc/{pid}") && DateTime.UtcNow < deadline)
            {
                Thread.Sleep(100);
            }
            Assert.False(Directory.Exists($"/proc/{pid}"), "the background process is still running after fusermount3 -u");
        }
        finally
        {
            if (MountedImage.IsMounted(mountPoint))
            {
                ExternalTool.Shell("/", $"fusermount3 -u '{mountPoint}' || umount -l '{mountPoint}'");
            }
        }
    }

    [Fact]
    public void Mount_Quiet_PrintsNothingAndStillServes()
    {
        using var work = new TempDirectory();
        string mountPoint = work.File("mnt");
        Directory.CreateDirectory(mountPoint);
        try
        {
            FpipeProcess.Outcome run = FpipeProcess.Run(work.Path, "mount", corpus.File("ext4.pc"), mountPoint, "-q");

            Assert.True(run.ExitCode == 0, run.Stderr);
            Assert.Empty(run.Stdout);
            Assert.Empty(run.Stderr);
            Assert.Equal(FileHash.Sha256(corpus.File("ext4.pc.restored")), FileHash.Sha256(Path.Combine(mountPoint, "ext4")));
        }
        finally
        {
            if (MountedImage.IsMounted(mountPoint))
            {
                ExternalTool.Shell("/", $"fusermount3 -u '{mountPoint}' || umount -l '{mountPoint}'");
            }
        }
    }

    [Fact]
    public void Mount_VerifyReads_DamagedGroupReadsAsEioWithTheOffsetOnStderr()
    {
        using var work = new TempDirectory();
        string damaged = work.File("damaged.pc");
        File.Copy(corpus.File("ext4.pc"), damaged);
        // ext4.pc: data starts at byte 8306 (docs/formats/partclone.md, "Known-answer values"); flip a byte inside the
        // first checksum group.
        using (FileStream stream = File.Open(damaged, FileMode.Open))
        {
            stream.Position = 8306 + 700;
            int old = stream.ReadByte();
            stream.Position = 8306 + 700;
            stream.WriteByte((byte)~old);
        }
        using var mounted = new MountedImage(damaged, work.File("mnt"), "--verify-reads");
        string result = ExternalTool.Shell("/", $"dd if='{mounted.File("damaged")}' of=/dev/null bs=4096 count=1 2>&1; echo exit=$?");
        Assert.Contains("Input/output error", result);
        Assert.Contains("checksum of group 0", mounted.Stderr);
    }

    [Theory]
    [InlineData("missing")]
    [InlineData("non-empty")]
    [InlineData("gzip")]
    [InlineData("stdin")]
    [InlineData("index-size")]
    public void Mount_RefusedInputs_Exit2WithOneLine(string situation)
    {
        using var work = new TempDirectory();
        string mountPoint = work.File("mnt");
        Directory.CreateDirectory(mountPoint);
        string image = corpus.File("ext4.pc");
        string[] extra = [];
        string expected;
        switch (situation)
        {
            case "missing":
                mountPoint = work.File("no-such-dir");
                expected = "does not exist";
                break;
            case "non-empty":
                File.WriteAllText(Path.Combine(mountPoint, "x"), "x");
                expected = "is not empty";
                break;
            case "gzip":
                File.Copy(image, work.File("ext4.pc"));
                ExternalTool.Shell(work.Path, "gzip ext4.pc");
                image = work.File("ext4.pc.gz");
                expected = $"gunzip -k '{image}'";
                break;
            case "stdin":
                image = "-";
                expected = "standard input";
                break;
            default:
                extra = ["--index-size", "1000"];
                expected = "power of two";
                break;
        }
        FpipeProcess.Outcome run = FpipeProcess.Run(work.Path, ["mount", image, mountPoint, "--foreground", .. extra]);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(expected, run.Stderr);
        Assert.Single(run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.False(MountedImage.IsMounted(Path.GetFullPath(mountPoint)));
    }

    private static void AssertSameTree(string expected, string actual, string[] ignore)
    {
        string[] Files(string root) => [.. Directory.GetFileSystemEntries(root, "*", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(root, path))
            .Where(path => !ignore.Any(skip => path == skip || path.StartsWith(skip + "/", StringComparison.Ordinal)))
            .Order(StringComparer.Ordinal)];
        string[] names = Files(expected);
        Assert.Equal(names, Files(actual));
        Assert.True(names.Length > 20);
        foreach (string name in names.Where(name => File.Exists(Path.Combine(expected, name))))
        {
            Assert.True(File.ReadAllBytes(Path.Combine(expected, name)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(actual, name))), name);
        }
    }
}
