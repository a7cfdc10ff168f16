#compdef kubefedctl

autoload -U is-at-least

_kubefedctl() {
    typeset -A opt_args
    typeset -a _arguments_options
    local ret=1

    if is-at-least 5.2; then
        _arguments_options=(-s -S -C)
    else
        _arguments_options=(-s -C)
    fi

    local context curcontext="$curcontext" state line
    _arguments "${_arguments_options[@]}" : \
'--kubeconfig=[Path to the kubeconfig file (default\: \$KUBECONFIG, colon-separated and merged, else ~/.kube/config)]:PATH:_files' \
'--host-cluster-context=[Kubeconfig context of the cluster hosting the control plane (default\: the current context)]:CTX:_default' \
'--kubefed-namespace=[Namespace of the control plane]:NS:_default' \
'(-q --quiet)*-v[Say more about what is happening (repeat for more detail)]' \
'(-q --quiet)*--verbose[Say more about what is happening (repeat for more detail)]' \
'-q[Print only data and errors]' \
'--quiet[Print only data and errors]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
":: :_kubefedctl_commands" \
"*::: :->kubefedctl" \
&& ret=0
    case $state in
    (kubefedctl)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:kubefedctl-command-$line[1]:"
        case $line[1] in
            (version)
_arguments "${_arguments_options[@]}" : \
'-o+[Print the version as a JSON or YAML object instead of a line]:FORMAT:(json yaml)' \
'--output=[Print the version as a JSON or YAML object instead of a line]:FORMAT:(json yaml)' \
'--kubeconfig=[Path to the kubeconfig file (default\: \$KUBECONFIG, colon-separated and merged, else ~/.kube/config)]:PATH:_files' \
'--host-cluster-context=[Kubeconfig context of the cluster hosting the control plane (default\: the current context)]:CTX:_default' \
'--kubefed-namespace=[Namespace of the control plane]:NS:_default' \
'(-q --quiet)*-v[Say more about what is happening (repeat for more detail)]' \
'(-q --quiet)*--verbose[Say more about what is happening (repeat for more detail)]' \
'-q[Print only data and errors]' \
'--quiet[Print only data and errors]' \
'-h[Print help]' \
'--help[Print help]' \
&& ret=0
;;
(completions)
_arguments "${_arguments_options[@]}" : \
'--kubeconfig=[Path to the kubeconfig file (default\: \$KUBECONFIG, colon-separated and merged, else ~/.kube/config)]:PATH:_files' \
'--host-cluster-context=[Kubeconfig context of the cluster hosting the control plane (default\: the current context)]:CTX:_default' \
'--kubefed-namespace=[Namespace of the control plane]:NS:_default' \
'(-q --quiet)*-v[Say more about what is happening (repeat for more detail)]' \
'(-q --quiet)*--verbose[Say more about what is happening (repeat for more detail)]' \
'-q[Print only data and errors]' \
'--quiet[Print only data and errors]' \
'-h[Print help]' \
'--help[Print help]' \
':shell -- Shell to complete for:(bash elvish fish powershell zsh)' \
&& ret=0
;;
(sandbox)
_arguments "${_arguments_options[@]}" : \
'--kubeconfig=[Path to the kubeconfig file (default\: \$KUBECONFIG, colon-separated and merged, else ~/.kube/config)]:PATH:_files' \
'--host-cluster-context=[Kubeconfig context of the cluster hosting the control plane (default\: the current context)]:CTX:_default' \
'--kubefed-namespace=[Namespace of the control plane]:NS:_default' \
'(-q --quiet)*-v[Say more about what is happening (repeat for more detail)]' \
'(-q --quiet)*--verbose[Say more about what is happening (repeat for more detail)]' \
'-q[Print only data and errors]' \
'--quiet[Print only data and errors]' \
'-h[Print help]' \
'--help[Print help]' \
":: :_kubefedctl__subcmd__sandbox_commands" \
"*::: :->sandbox" \
&& ret=0

    case $state in
    (sandbox)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:kubefedctl-sandbox-command-$line[1]:"
        case $line[1] in
            (up)
_arguments "${_arguments_options[@]}" : \
'*--clusters=[Cluster names, comma-separated (each a DNS-1123 label)]:NAMES:_default' \
'--data-dir=[Keep state under DIR/<cluster> so it survives restarts (default\: in memory)]:DIR:_files' \
'--port=[Port of the first cluster; the others take the following ports (default\: free ports)]:P:_default' \
'--kubeconfig=[Path to the kubeconfig file (default\: \$KUBECONFIG, colon-separated and merged, else ~/.kube/config)]:PATH:_files' \
'--host-cluster-context=[Kubeconfig context of the cluster hosting the control plane (default\: the current context)]:CTX:_default' \
'--kubefed-namespace=[Namespace of the control plane]:NS:_default' \
'(-q --quiet)*-v[Say more about what is happening (repeat for more detail)]' \
'(-q --quiet)*--verbose[Say more about what is happening (repeat for more detail)]' \
'-q[Print only data and errors]' \
'--quiet[Print only data and errors]' \
'-h[Print help]' \
'--help[Print help]' \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
":: :_kubefedctl__subcmd__sandbox__subcmd__help_commands" \
"*::: :->help" \
&& ret=0

    case $state in
    (help)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:kubefedctl-sandbox-help-command-$line[1]:"
        case $line[1] in
            (up)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
        esac
    ;;
esac
;;
(help)
_arguments "${_arguments_options[@]}" : \
":: :_kubefedctl__subcmd__help_commands" \
"*::: :->help" \
&& ret=0

    case $state in
    (help)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:kubefedctl-help-command-$line[1]:"
        case $line[1] in
            (version)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(completions)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(sandbox)
_arguments "${_arguments_options[@]}" : \
":: :_kubefedctl__subcmd__help__subcmd__sandbox_commands" \
"*::: :->sandbox" \
&& ret=0

    case $state in
    (sandbox)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:kubefedctl-help-sandbox-command-$line[1]:"
        case $line[1] in
            (up)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
(help)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
        esac
    ;;
esac
}

(( $+functions[_kubefedctl_commands] )) ||
_kubefedctl_commands() {
    local commands; commands=(
'version:Print the version and git commit of kubefedctl' \
'completions:Print a shell completion script to stdout' \
'sandbox:Local Kubernetes-API-compatible clusters for trying kubefedctl and for tests' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'kubefedctl commands' commands "$@"
}
(( $+functions[_kubefedctl__subcmd__completions_commands] )) ||
_kubefedctl__subcmd__completions_commands() {
    local commands; commands=()
    _describe -t commands 'kubefedctl completions commands' commands "$@"
}
(( $+functions[_kubefedctl__subcmd__help_commands] )) ||
_kubefedctl__subcmd__help_commands() {
    local commands; commands=(
'version:Print the version and git commit of kubefedctl' \
'completions:Print a shell completion script to stdout' \
'sandbox:Local Kubernetes-API-compatible clusters for trying kubefedctl and for tests' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'kubefedctl help commands' commands "$@"
}
(( $+functions[_kubefedctl__subcmd__help__subcmd__completions_commands] )) ||
_kubefedctl__subcmd__help__subcmd__completions_commands() {
    local commands; commands=()
    _describe -t commands 'kubefedctl help completions commands' commands "$@"
}
(( $+functions[_kubefedctl__subcmd__help__subcmd__help_commands] )) ||
_kubefedctl__subcmd__help__subcmd__help_commands() {
    local commands; commands=()
    _describe -t commands 'kubefedctl help help commands' commands "$@"
}
(( $+functions[_kubefedctl__subcmd__help__subcmd__sandbox_commands] )) ||
_kubefedctl__subcmd__help__subcmd__sandbox_commands() {
    local commands; commands=(
'up:Serve clusters on 127.0.0.1 until interrupted, and write a kubeconfig for them' \
    )
    _describe -t commands 'kubefedctl help sandbox commands' commands "$@"
}
(( $+functions[_kubefedctl__subcmd__help__subcmd__sandbox__subcmd__up_commands] )) ||
_kubefedctl__subcmd__help__subcmd__sandbox__subcmd__up_commands() {
    local commands; commands=()
    _describe -t commands 'kubefedctl help sandbox up commands' commands "$@"
}
(( $+functions[_kubefedctl__subcmd__help__subcmd__version_commands] )) ||
_kubefedctl__subcmd__help__subcmd__version_commands() {
    local commands; commands=()
    _describe -t commands 'kubefedctl help version commands' commands "$@"
}
(( $+functions[_kubefedctl__subcmd__sandbox_commands] )) ||
_kubefedctl__subcmd__sandbox_commands() {
    local commands; commands=(
'up:Serve clusters on 127.0.0.1 until interrupted, and write a kubeconfig for them' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'kubefedctl sandbox commands' commands "$@"
}
(( $+functions[_kubefedctl__subcmd__sandbox__subcmd__help_commands] )) ||
_kubefedctl__subcmd__sandbox__subcmd__help_commands() {
    local commands; commands=(
'up:Serve clusters on 127.0.0.1 until interrupted, and write a kubeconfig for them' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'kubefedctl sandbox help commands' commands "$@"
}
(( $+functions[_kubefedctl__subcmd__sandbox__subcmd__help__subcmd__help_commands] )) ||
_kubefedctl__subcmd__sandbox__subcmd__help__subcmd__help_commands() {
    local commands; commands=()
    _describe -t commands 'kubefedctl sandbox help help commands' commands "$@"
}
(( $+functions[_kubefedctl__subcmd__sandbox__subcmd__help__subcmd__up_commands] )) ||
_kubefedctl__subcmd__sandbox__subcmd__help__subcmd__up_commands() {
    local commands; commands=()
    _describe -t commands 'kubefedctl sandbox help up commands' commands "$@"
}
(( $+functions[_kubefedctl__subcmd__sandbox__subcmd__up_commands] )) ||
_kubefedctl__subcmd__sandbox__subcmd__up_commands() {
    local commands; commands=()
    _describe -t commands 'kubefedctl sandbox up commands' commands "$@"
}
(( $+functions[_kubefedctl__subcmd__version_commands] )) ||
_kubefedctl__subcmd__version_commands() {
    local commands; commands=()
    _describe -t commands 'kubefedctl version commands' commands "$@"
}

if [ "$funcstack[1]" = "_kubefedctl" ]; then
    _kubefedctl "$@"
else
    compdef _kubefedctl kubefedctl
fi
