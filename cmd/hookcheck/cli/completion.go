package cli

import (
	"context"
	"fmt"
	"sort"
	"strings"
)

// bashCompletion is the bash completion script; %s is the list of
// commands. Flags are read from "hookcheck COMMAND --help" when asked
// for, so they never go stale.
const bashCompletion = `# bash completion for hookcheck: source it, or put it in
# /etc/bash_completion.d/hookcheck (or ~/.local/share/bash-completion/completions/hookcheck):
#   source <(hookcheck completion bash)
_hookcheck() {
    local cur=${COMP_WORDS[COMP_CWORD]} cmd=${COMP_WORDS[1]}
    if [ "$COMP_CWORD" -eq 1 ]; then
        COMPREPLY=($(compgen -W "%s --help --version" -- "$cur"))
        return
    fi
    case "$cmd" in
        ca) if [ "$COMP_CWORD" -eq 2 ]; then COMPREPLY=($(compgen -W "init path" -- "$cur")); return; fi ;;
        report) if [ "$COMP_CWORD" -eq 2 ] && [[ $cur != -* ]]; then COMPREPLY=($(compgen -W "diff" -f -- "$cur")); return; fi ;;
        completion) COMPREPLY=($(compgen -W "bash" -- "$cur")); return ;;
    esac
    if [[ $cur == -* ]]; then
        local sub=$cmd
        if [ "$cmd" = ca ] || { [ "$cmd" = report ] && [ "${COMP_WORDS[2]}" = diff ]; }; then sub="$cmd ${COMP_WORDS[2]}"; fi
        COMPREPLY=($(compgen -W "$("${COMP_WORDS[0]}" $sub --help 2>/dev/null | sed -n 's/^  \(--[a-z][a-z0-9-]*\).*/\1/p')" -- "$cur"))
        return
    fi
    COMPREPLY=($(compgen -f -- "$cur"))
}
complete -F _hookcheck hookcheck
`

// runCompletion is "hookcheck completion bash".
func runCompletion(_ context.Context, e *env, args []string) int {
	if len(args) == 1 && (args[0] == "-h" || args[0] == "--help") {
		fmt.Fprintln(e.stdout, `Usage: hookcheck completion bash

Prints a bash completion script for commands and flags:
  source <(hookcheck completion bash)      # this shell
  hookcheck completion bash > ~/.local/share/bash-completion/completions/hookcheck`)
		return ExitOK
	}
	if len(args) != 1 || args[0] != "bash" {
		return usageError(e, "completion", fmt.Errorf("want one shell, bash (got %q)", strings.Join(args, " ")))
	}
	var names []string
	for _, c := range commands() {
		names = append(names, c.name)
	}
	sort.Strings(names)
	fmt.Fprintf(e.stdout, bashCompletion, strings.Join(names, " "))
	return ExitOK
}
