using BenchmarkDotNet.Running;

// `dotnet run -c Release --project bench/BatchJob.Benchmarks -- --filter '*'` (see BENCHMARKS.md).
BenchmarkSwitcher.FromAssembly(typeof(BatchJob.Benchmarks.HotPathBenchmarks).Assembly).Run(args);
