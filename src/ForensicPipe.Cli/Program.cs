using ForensicPipe.Cli;
using ForensicPipe.Cli.Commands;

// Every busy Dataflow block keeps a pool thread for as long as its queue has work (one per hasher, sink
// and stage); with two cores the pool would start with two threads and add more only slowly.
ThreadPool.GetMinThreads(out int workers, out int completionPorts);
ThreadPool.SetMinThreads(Math.Max(workers, 16), completionPorts);

if (Environment.GetEnvironmentVariable(MountCommand.BackgroundChildVariable) == "1")
{
    // The background process of `fpipe mount`: its own session, so the terminal's signals do not reach it.
    ForensicPipe.Cli.Mount.FuseNative.SetSid();
}

return await FpipeCommandLine.InvokeAsync(args, FpipeServices.Default);
