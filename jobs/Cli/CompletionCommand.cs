namespace ItDrift.Tbm.Jobs.Cli;

/// <summary>
/// <c>tbm completion bash|zsh</c>: a script for the shell's tab completion. It asks <c>tbm</c> itself, through
/// System.CommandLine's <c>[suggest:POSITION]</c> directive (what <c>dotnet-suggest</c> uses), what may follow
/// what has been typed — commands, options, the values of a choice — so it always matches the definitions;
/// where tbm suggests nothing (a folder, a file), the shell completes file names.
/// </summary>
internal static class CompletionCommand
{
    /// <summary>The shells there is a script for.</summary>
    public static IReadOnlyList<string> Shells { get; } = ["bash", "zsh"];

    public static int Execute(string shell, TextWriter stdout)
    {
        stdout.Write(shell == "zsh" ? Zsh : Bash);
        return CommandLine.Ok;
    }

    private const string Bash = """
        # tbm's tab completion for bash: tbm itself says what may follow (System.CommandLine's [suggest] directive).
        # Load it with:  source <(tbm completion bash)
        # or for good:   tbm completion bash > ~/.local/share/bash-completion/completions/tbm
        _tbm_complete()
        {
            local IFS=$'\n'
            local suggestions
            suggestions=$("${COMP_WORDS[0]}" "[suggest:${COMP_POINT}]" "${COMP_LINE}" 2>/dev/null)
            COMPREPLY=($(compgen -W "${suggestions}" -- "${COMP_WORDS[COMP_CWORD]}"))
        }
        complete -o default -F _tbm_complete tbm ./tbm

        """;

    private const string Zsh = """
        #compdef tbm
        # tbm's tab completion for zsh: tbm itself says what may follow (System.CommandLine's [suggest] directive).
        # Load it (after compinit) with:  source <(tbm completion zsh)
        # or for good: tbm completion zsh > "${fpath[1]}/_tbm"
        _tbm() {
            local typed="${(j: :)words[1,CURRENT]}"
            local -a suggestions
            suggestions=(${(f)"$("${words[1]}" "[suggest:${#typed}]" "${(j: :)words}" 2>/dev/null)"})
            if (( ${#suggestions} )); then
                compadd -- "${suggestions[@]}"
            else
                _files
            fi
        }
        if [[ "${funcstack[1]}" == _tbm ]]; then
            _tbm "$@"
        else
            compdef _tbm tbm
        fi

        """;
}
