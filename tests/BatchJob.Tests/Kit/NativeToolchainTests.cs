using BatchJob.Tests.Support;

namespace BatchJob.Tests.Kit;

/// <summary>
/// Which failed native AOT publishes let the process-level tests fall back to the JIT build: a
/// machine without the native toolchain does, an app that no longer compiles ahead of time must
/// not (it would pass on the JIT build while the image build fails). The outputs are real ones,
/// from `dotnet publish -p:PublishAot=true` (SDK 10.0.401, ILCompiler 10.0.12) on this repository;
/// long paths and the linker's command line are shortened.
/// </summary>
public sealed class NativeToolchainTests
{
    [Fact]
    public void No_clang_or_gcc_on_PATH_is_a_missing_toolchain_in_the_ILCompiler_s_words()
    {
        const string output = """
              Determining projects to restore...
              All projects are up-to-date for restore.
              BatchJob -> /tmp/art/bin/BatchJob/release/BatchJob.dll
            /root/.nuget/packages/microsoft.dotnet.ilcompiler/10.0.12/build/Microsoft.NETCore.Native.Unix.targets(316,5): error : Platform linker ('clang' or 'gcc') not found in PATH. Ensure you have all the required prerequisites documented at https://aka.ms/nativeaot-prerequisites. [/work/repo/app/BatchJob.csproj]
            """;

        NativeToolchain.MissingReason(output).Should().Be(
            "Platform linker ('clang' or 'gcc') not found in PATH. Ensure you have all the required prerequisites documented at https://aka.ms/nativeaot-prerequisites.");
    }

    [Fact]
    public void A_linker_that_finds_no_C_runtime_to_link_is_a_missing_toolchain()
    {
        // clang present, the C library's development files not (crt1.o comes with libc6-dev).
        const string output = """
              BatchJob -> /tmp/art/bin/BatchJob/release/BatchJob.dll
              Generating native code
              /usr/bin/ld: cannot find crt1.o: No such file or directory
            clang : error : linker command failed with exit code 1 (use -v to see invocation) [/work/repo/app/BatchJob.csproj]
            /root/.nuget/packages/microsoft.dotnet.ilcompiler/10.0.12/build/Microsoft.NETCore.Native.targets(389,5): error MSB3073: The command ""clang" "/tmp/art/obj/BatchJob/release/native/BatchJob.o" -o "/tmp/art/bin/BatchJob/release/native/BatchJob" -pthread -ldl -lrt -lm -pie" exited with code 1. [/work/repo/app/BatchJob.csproj]
            """;

        NativeToolchain.MissingReason(output).Should().Be("/usr/bin/ld: cannot find crt1.o: No such file or directory");
    }

    [Fact]
    public void Code_that_native_AOT_cannot_compile_is_not_a_missing_toolchain()
    {
        // A reflection-based JsonSerializer call (the analyzers silenced), with clang installed.
        const string output = """
              BatchJob -> /tmp/art/bin/BatchJob/release/BatchJob.dll
              Generating native code
            ILC : Trim analysis error IL2026: Program.<Main>$(String[]): Using member 'System.Text.Json.JsonSerializer.Serialize<<>f__AnonymousType0`1<Int32>>(<>f__AnonymousType0`1<Int32>,JsonSerializerOptions)' which has 'RequiresUnreferencedCodeAttribute' can break functionality when trimming application code. [/work/repo/app/BatchJob.csproj]
            ILC : AOT analysis error IL3050: Program.<Main>$(String[]): Using member 'System.Text.Json.JsonSerializer.Serialize<<>f__AnonymousType0`1<Int32>>(<>f__AnonymousType0`1<Int32>,JsonSerializerOptions)' which has 'RequiresDynamicCodeAttribute' can break functionality when AOT compiling. [/work/repo/app/BatchJob.csproj]
            /root/.nuget/packages/microsoft.dotnet.ilcompiler/10.0.12/build/Microsoft.NETCore.Native.targets(330,5): error MSB3077: The command ""/root/.nuget/packages/runtime.linux-x64.microsoft.dotnet.ilcompiler/10.0.12/tools/ilc" @"/tmp/art/obj/BatchJob/release/native/BatchJob.ilc.rsp"" exited with return value 0, but errors were detected during execution. ExitCode was set to -1. [/work/repo/app/BatchJob.csproj]
            """;

        NativeToolchain.MissingReason(output).Should().BeNull("the image build fails on it too: the tests must fail, not fall back");
    }
}
