namespace BatchJob.Configuration;

/// <summary>The worker's command line: <c>--input</c>, <c>--output</c>, <c>--help</c>, and <c>--KEY=value</c> for any key.</summary>
internal static class CommandLine
{
    /// <summary>Short and friendly switches, mapped onto the configuration keys they set.</summary>
    public static IDictionary<string, string> SwitchMappings { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["--input"] = ConfigKeys.InputPath,
        ["-i"] = ConfigKeys.InputPath,
        ["--output"] = ConfigKeys.OutputPath,
        ["-o"] = ConfigKeys.OutputPath,
        ["--rejects"] = ConfigKeys.RejectsPath,
    };

    public const string CheckSwitch = "--check";

    public static bool IsHelp(IReadOnlyList<string> args) =>
        args.Any(a => a is "--help" or "-h" or "-?");

    /// <summary>Whether <c>--check</c> was given; <paramref name="rest"/> is the command line without it, for the configuration.</summary>
    public static bool IsCheck(IReadOnlyList<string> args, out IReadOnlyList<string> rest)
    {
        ArgumentNullException.ThrowIfNull(args);
        rest = [.. args.Where(a => a != CheckSwitch)];
        return rest.Count != args.Count;
    }

    /// <summary>Rejects what the configuration provider would silently ignore: stray words and unknown keys.</summary>
    public static void Validate(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var errors = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            var name = arg.Split('=', 2)[0];
            var hasValue = arg.Contains('=', StringComparison.Ordinal) || (i + 1 < args.Count && !args[i + 1].StartsWith('-'));
            if (SwitchMappings.ContainsKey(name) || (name.StartsWith("--", StringComparison.Ordinal) && ConfigKeys.Configurable.Contains(name[2..], StringComparer.OrdinalIgnoreCase)))
            {
                if (!hasValue)
                {
                    errors.Add($"Option '{name}' needs a value, e.g. {name}=value.");
                }
                else if (!arg.Contains('=', StringComparison.Ordinal))
                {
                    i++;
                }

                continue;
            }

            errors.Add($"Unknown argument '{arg}'. Run with --help to see the options.");
        }

        if (errors.Count > 0)
        {
            throw new ConfigurationException(errors);
        }
    }

    public const string Usage = """
        BatchJob: batch inference worker (predicts sum(features) per JSON Lines record).

        Usage: BatchJob [--check] [--input PATH] [--output PATH] [--rejects PATH] [--KEY=value ...]

          -i, --input PATH    JSON Lines input (INPUT_PATH; default: the bundled data/input.jsonl)
          -o, --output PATH   also write predictions to this file (OUTPUT_PATH)
          --rejects PATH      write every rejected line to this file (REJECTS_PATH)
          --KEY=value         set any configuration key, e.g. --CPU_LIMIT=1 --LOG_FORMAT=clef
          --check             check configuration, input and output folders, list the bad
                              lines, and exit (0, 2 or 3 as a run would) writing nothing
          -h, --help          show this help

        Configuration, lowest to highest precedence: appsettings.json next to the binary, .env in
        the working directory, environment variables, command line. Keys and defaults: .env.example.

        Exit codes: 0 success; 1 unexpected error; 2 bad configuration, unreadable input or
        unwritable output; 3 too many failed records (MAX_FAILED_RATIO);
        4 cost budget reached (COST_BUDGET_USD); 143 interrupted (SIGTERM or Ctrl+C).
        """;
}
