using System.Text.RegularExpressions;

namespace BatchJob.Tests.Support;

/// <summary>
/// Reads a failed native AOT publish: did it fail because this machine lacks the native toolchain
/// (no linker, no objcopy, nothing to link against), or because the app does not compile ahead of
/// time? Only the first may fall back to the JIT build; the second is a real failure.
/// </summary>
public static partial class NativeToolchain
{
    /// <summary>The publish's own words for what is missing, or null when it failed for another reason.</summary>
    public static string? MissingReason(string publishOutput)
    {
        ArgumentNullException.ThrowIfNull(publishOutput);
        foreach (var line in publishOutput.Split('\n'))
        {
            if (Missing().IsMatch(line))
            {
                // "path/Microsoft.NETCore.Native.Unix.targets(317,5): error : <text> [project]" -> "<text>"
                var text = ErrorPrefix().Replace(line.Trim(), "");
                return ProjectSuffix().Replace(text, "");
            }
        }

        return null;
    }

    // The ILCompiler's prerequisite checks (Microsoft.NETCore.Native.*.targets: "Platform linker
    // ('clang' or 'gcc') not found in PATH", the same for objcopy, xcrun, the Windows C++ tools),
    // and a linker that runs but finds no C runtime or library to link.
    [GeneratedRegex(@"not found in PATH|aka\.ms/nativeaot-prerequisites|Apple SDK was not found|cannot find -l|cannot find crt\w*\.o|library not found for -l")]
    private static partial Regex Missing();

    [GeneratedRegex(@"^.*?:\s*error\s*[A-Z]*\d*\s*:\s*")]
    private static partial Regex ErrorPrefix();

    [GeneratedRegex(@"\s*\[[^\[\]]+\]$")]
    private static partial Regex ProjectSuffix();
}
