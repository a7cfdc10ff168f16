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
            (init)
_arguments "${_arguments_options[@]}" : \
'--scope=[Scope of the control plane\: Cluster federates every namespace, Namespaced only the kubefed namespace \[default\: the installed control plane'\''s, else Cluster\]. Immutable once installed]:SCOPE:((Cluster\:"Federate every namespace of the member clusters"
Namespaced\:"Federate only the kubefed namespace"))' \
'-o+[Print every manifest in install order instead of installing (contacts no cluster)]:FORMAT:(json yaml)' \
'--output=[Print every manifest in install order instead of installing (contacts no cluster)]:FORMAT:(json yaml)' \
'--kubeconfig=[Path to the kubeconfig file (default\: \$KUBECONFIG, colon-separated and merged, else ~/.kube/config)]:PATH:_files' \
'--host-cluster-context=[Kubeconfig context of the cluster hosting the control plane (default\: the current context)]:CTX:_default' \
'--kubefed-namespace=[Namespace of the control plane]:NS:_default' \
'--no-default-types[Install no federated type (enable types later with \`kubefedctl enable\`)]' \
'--dry-run[Send no write request; say what would be done]' \
'(-q --quiet)*-v[Say more about what is happening (repeat for more detail)]' \
'(-q --quiet)*--verbose[Say more about what is happening (repeat for more detail)]' \
'-q[Print only data and errors]' \
'--quiet[Print only data and errors]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
&& ret=0
;;
(teardown)
_arguments "${_arguments_options[@]}" : \
'--kubeconfig=[Path to the kubeconfig file (default\: \$KUBECONFIG, colon-separated and merged, else ~/.kube/config)]:PATH:_files' \
'--host-cluster-context=[Kubeconfig context of the cluster hosting the control plane (default\: the current context)]:CTX:_default' \
'--kubefed-namespace=[Namespace of the control plane]:NS:_default' \
'-y[Do not ask for confirmation (required when stdin is not a terminal)]' \
'--yes[Do not ask for confirmation (required when stdin is not a terminal)]' \
'--orphan[Leave the objects the control plane propagated in the member clusters (annotate every federated object kubefed.io/orphan\: "true" before deleting it)]' \
'(-q --quiet)*-v[Say more about what is happening (repeat for more detail)]' \
'(-q --quiet)*--verbose[Say more about what is happening (repeat for more detail)]' \
'-q[Print only data and errors]' \
'--quiet[Print only data and errors]' \
'-h[Print help]' \
'--help[Print help]' \
&& ret=0
;;
(join)
_arguments "${_arguments_options[@]}" : \
'--cluster-context=[Kubeconfig context of the member cluster \[default\: NAME\]]:CTX:_default' \
'--host-cluster-name=[Name of the host in the names created in the member, instead of the host context'\''s name (required when that contains '\''\:'\'' or '\''/'\'')]:N:_default' \
'--secret-name=[Name of the credentials Secret in the host \[default\: generated from NAME-\]]:S:_default' \
'--error-on-existing=[Fail when any object of the registration already exists; with false, reuse and update them]::BOOL:(true false)' \
'*--label=[Label of the KubeFedCluster, for clusterSelector placement (repeatable)]:KEY=VALUE:_default' \
'--kubeconfig=[Path to the kubeconfig file (default\: \$KUBECONFIG, colon-separated and merged, else ~/.kube/config)]:PATH:_files' \
'--host-cluster-context=[Kubeconfig context of the cluster hosting the control plane (default\: the current context)]:CTX:_default' \
'--kubefed-namespace=[Namespace of the control plane]:NS:_default' \
'--dry-run[Send no write request; say what would be done]' \
'(-q --quiet)*-v[Say more about what is happening (repeat for more detail)]' \
'(-q --quiet)*--verbose[Say more about what is happening (repeat for more detail)]' \
'-q[Print only data and errors]' \
'--quiet[Print only data and errors]' \
'-h[Print help]' \
'--help[Print help]' \
':name -- Name of the member cluster (becomes the KubeFedCluster'\''s name; a DNS-1123 subdomain):_default' \
&& ret=0
;;
(unjoin)
_arguments "${_arguments_options[@]}" : \
'--cluster-context=[Kubeconfig context of the member cluster \[default\: NAME\]]:CTX:_default' \
'--host-cluster-name=[The --host-cluster-name the cluster was joined with]:N:_default' \
'--kubeconfig=[Path to the kubeconfig file (default\: \$KUBECONFIG, colon-separated and merged, else ~/.kube/config)]:PATH:_files' \
'--host-cluster-context=[Kubeconfig context of the cluster hosting the control plane (default\: the current context)]:CTX:_default' \
'--kubefed-namespace=[Namespace of the control plane]:NS:_default' \
'--force[Remove the registration from the host even if the member cannot be reached or cleaned up]' \
'--dry-run[Send no write request; say what would be done]' \
'(-q --quiet)*-v[Say more about what is happening (repeat for more detail)]' \
'(-q --quiet)*--verbose[Say more about what is happening (repeat for more detail)]' \
'-q[Print only data and errors]' \
'--quiet[Print only data and errors]' \
'-h[Print help]' \
'--help[Print help]' \
':name -- Name of the member cluster (its KubeFedCluster'\''s name):_default' \
&& ret=0
;;
(clusters)
_arguments "${_arguments_options[@]}" : \
'-o+[Output format]:FORMAT:((table\:"Aligned columns"
wide\:"Aligned columns, with extra columns"
json\:"The records as a JSON array"
yaml\:"The records as a YAML sequence"))' \
'--output=[Output format]:FORMAT:((table\:"Aligned columns"
wide\:"Aligned columns, with extra columns"
json\:"The records as a JSON array"
yaml\:"The records as a YAML sequence"))' \
'--kubeconfig=[Path to the kubeconfig file (default\: \$KUBECONFIG, colon-separated and merged, else ~/.kube/config)]:PATH:_files' \
'--host-cluster-context=[Kubeconfig context of the cluster hosting the control plane (default\: the current context)]:CTX:_default' \
'--kubefed-namespace=[Namespace of the control plane]:NS:_default' \
'(-q --quiet)*-v[Say more about what is happening (repeat for more detail)]' \
'(-q --quiet)*--verbose[Say more about what is happening (repeat for more detail)]' \
'-q[Print only data and errors]' \
'--quiet[Print only data and errors]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
&& ret=0
;;
(enable)
_arguments "${_arguments_options[@]}" : \
'--federated-group=[API group of the generated federated type]:G:_default' \
'--federated-version=[API version of the generated federated type]:V:_default' \
'--version=[Look TARGET up in this API version only (default\: the version the server prefers)]:V:_default' \
'-o+[Print the FederatedTypeConfig and the CRD as YAML instead of creating them (only \`yaml\`)]:FORMAT:_default' \
'--output=[Print the FederatedTypeConfig and the CRD as YAML instead of creating them (only \`yaml\`)]:FORMAT:_default' \
'(--version)-f+[Read an EnableTypeDirective (apiVersion core.kubefed.io/v1beta1) instead of TARGET and flags]:FILE:_files' \
'(--version)--filename=[Read an EnableTypeDirective (apiVersion core.kubefed.io/v1beta1) instead of TARGET and flags]:FILE:_files' \
'--kubeconfig=[Path to the kubeconfig file (default\: \$KUBECONFIG, colon-separated and merged, else ~/.kube/config)]:PATH:_files' \
'--host-cluster-context=[Kubeconfig context of the cluster hosting the control plane (default\: the current context)]:CTX:_default' \
'--kubefed-namespace=[Namespace of the control plane]:NS:_default' \
'--dry-run[Send no write request; say what would be done]' \
'(-q --quiet)*-v[Say more about what is happening (repeat for more detail)]' \
'(-q --quiet)*--verbose[Say more about what is happening (repeat for more detail)]' \
'-q[Print only data and errors]' \
'--quiet[Print only data and errors]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'::target -- The type to federate (e.g. deployments.apps, deploy, Deployment):_default' \
&& ret=0
;;
(disable)
_arguments "${_arguments_options[@]}" : \
'--federated-group=[API group of the federated type, to find its CRD when the FTC is already gone (with --delete-crd)]:G:_default' \
'--version=[Look NAME up in this API version only (with --delete-crd)]:V:_default' \
'--kubeconfig=[Path to the kubeconfig file (default\: \$KUBECONFIG, colon-separated and merged, else ~/.kube/config)]:PATH:_files' \
'--host-cluster-context=[Kubeconfig context of the cluster hosting the control plane (default\: the current context)]:CTX:_default' \
'--kubefed-namespace=[Namespace of the control plane]:NS:_default' \
'--delete-crd[Also delete the Federated<Kind> CRD (refused while federated objects of the type exist)]' \
'--dry-run[Send no write request; say what would be done]' \
'(-q --quiet)*-v[Say more about what is happening (repeat for more detail)]' \
'(-q --quiet)*--verbose[Say more about what is happening (repeat for more detail)]' \
'-q[Print only data and errors]' \
'--quiet[Print only data and errors]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'::name -- The type to stop federating (FTC name such as deployments.apps, or a type name):_default' \
&& ret=0
;;
(federate)
_arguments "${_arguments_options[@]}" : \
'-n+[Namespace of the object (default\: the context'\''s namespace, else \`default\`; ignored for namespaces)]:NS:_default' \
'--namespace=[Namespace of the object (default\: the context'\''s namespace, else \`default\`; ignored for namespaces)]:NS:_default' \
'*-s+[With --contents\: types (any name the type lookup accepts) or API groups not to federate]:LIST:_default' \
'*--skip-api-resources=[With --contents\: types (any name the type lookup accepts) or API groups not to federate]:LIST:_default' \
'-o+[Print the federated objects instead of creating them]:FORMAT:(json yaml)' \
'--output=[Print the federated objects instead of creating them]:FORMAT:(json yaml)' \
'(-n --namespace -c --contents -t --enable-type -s --skip-api-resources)-f+[Convert the objects of this multi-document YAML file (\`-\` for stdin) offline and print them]:FILE:_default' \
'(-n --namespace -c --contents -t --enable-type -s --skip-api-resources)--filename=[Convert the objects of this multi-document YAML file (\`-\` for stdin) offline and print them]:FILE:_default' \
'--kubeconfig=[Path to the kubeconfig file (default\: \$KUBECONFIG, colon-separated and merged, else ~/.kube/config)]:PATH:_files' \
'--host-cluster-context=[Kubeconfig context of the cluster hosting the control plane (default\: the current context)]:CTX:_default' \
'--kubefed-namespace=[Namespace of the control plane]:NS:_default' \
'-c[With TYPE namespaces\: also federate every namespaced object inside the namespace]' \
'--contents[With TYPE namespaces\: also federate every namespaced object inside the namespace]' \
'-t[Enable the type first (FederatedTypeConfig + CRD) when it is not enabled yet]' \
'--enable-type[Enable the type first (FederatedTypeConfig + CRD) when it is not enabled yet]' \
'--dry-run[Send no write request; say what would be done]' \
'(-q --quiet)*-v[Say more about what is happening (repeat for more detail)]' \
'(-q --quiet)*--verbose[Say more about what is happening (repeat for more detail)]' \
'-q[Print only data and errors]' \
'--quiet[Print only data and errors]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'::type_name -- The type of the object (plural, singular, kind, short name or plural.group):_default' \
'::name -- The name of the object:_default' \
&& ret=0
;;
(orphaning-deletion)
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
":: :_kubefedctl__subcmd__orphaning-deletion_commands" \
"*::: :->orphaning-deletion" \
&& ret=0

    case $state in
    (orphaning-deletion)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:kubefedctl-orphaning-deletion-command-$line[1]:"
        case $line[1] in
            (enable)
_arguments "${_arguments_options[@]}" : \
'-n+[Namespace of the federated object (default\: the context'\''s namespace, else \`default\`)]:NS:_default' \
'--namespace=[Namespace of the federated object (default\: the context'\''s namespace, else \`default\`)]:NS:_default' \
'--kubeconfig=[Path to the kubeconfig file (default\: \$KUBECONFIG, colon-separated and merged, else ~/.kube/config)]:PATH:_files' \
'--host-cluster-context=[Kubeconfig context of the cluster hosting the control plane (default\: the current context)]:CTX:_default' \
'--kubefed-namespace=[Namespace of the control plane]:NS:_default' \
'--dry-run[Send no write request; say what would be done]' \
'(-q --quiet)*-v[Say more about what is happening (repeat for more detail)]' \
'(-q --quiet)*--verbose[Say more about what is happening (repeat for more detail)]' \
'-q[Print only data and errors]' \
'--quiet[Print only data and errors]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'::type_name -- The federated type (e.g. FederatedDeployment, federateddeployments.types.kubefed.io, fdeploy):_default' \
'::name -- The federated object'\''s name:_default' \
&& ret=0
;;
(disable)
_arguments "${_arguments_options[@]}" : \
'-n+[Namespace of the federated object (default\: the context'\''s namespace, else \`default\`)]:NS:_default' \
'--namespace=[Namespace of the federated object (default\: the context'\''s namespace, else \`default\`)]:NS:_default' \
'--kubeconfig=[Path to the kubeconfig file (default\: \$KUBECONFIG, colon-separated and merged, else ~/.kube/config)]:PATH:_files' \
'--host-cluster-context=[Kubeconfig context of the cluster hosting the control plane (default\: the current context)]:CTX:_default' \
'--kubefed-namespace=[Namespace of the control plane]:NS:_default' \
'--dry-run[Send no write request; say what would be done]' \
'(-q --quiet)*-v[Say more about what is happening (repeat for more detail)]' \
'(-q --quiet)*--verbose[Say more about what is happening (repeat for more detail)]' \
'-q[Print only data and errors]' \
'--quiet[Print only data and errors]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'::type_name -- The federated type (e.g. FederatedDeployment, federateddeployments.types.kubefed.io, fdeploy):_default' \
'::name -- The federated object'\''s name:_default' \
&& ret=0
;;
(status)
_arguments "${_arguments_options[@]}" : \
'-n+[Namespace of the federated object (default\: the context'\''s namespace, else \`default\`)]:NS:_default' \
'--namespace=[Namespace of the federated object (default\: the context'\''s namespace, else \`default\`)]:NS:_default' \
'--kubeconfig=[Path to the kubeconfig file (default\: \$KUBECONFIG, colon-separated and merged, else ~/.kube/config)]:PATH:_files' \
'--host-cluster-context=[Kubeconfig context of the cluster hosting the control plane (default\: the current context)]:CTX:_default' \
'--kubefed-namespace=[Namespace of the control plane]:NS:_default' \
'(-q --quiet)*-v[Say more about what is happening (repeat for more detail)]' \
'(-q --quiet)*--verbose[Say more about what is happening (repeat for more detail)]' \
'-q[Print only data and errors]' \
'--quiet[Print only data and errors]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'::type_name -- The federated type (e.g. FederatedDeployment, federateddeployments.types.kubefed.io, fdeploy):_default' \
'::name -- The federated object'\''s name:_default' \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
":: :_kubefedctl__subcmd__orphaning-deletion__subcmd__help_commands" \
"*::: :->help" \
&& ret=0

    case $state in
    (help)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:kubefedctl-orphaning-deletion-help-command-$line[1]:"
        case $line[1] in
            (enable)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(disable)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(status)
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
(reconcile)
_arguments "${_arguments_options[@]}" : \
'(-A --all-namespaces)-n+[Only federated objects in this namespace (cluster-scoped types are skipped)]:NS:_default' \
'(-A --all-namespaces)--namespace=[Only federated objects in this namespace (cluster-scoped types are skipped)]:NS:_default' \
'*--type=[Only this type (FTC name such as deployments.apps, kind, or federated kind); repeatable]:TYPE:_default' \
'--concurrency=[Requests in flight at once to each cluster (a slow member never holds another'\''s)]:N:_default' \
'--request-timeout=[How long one request to a member may wait for its answer (e.g. 10s, 1m); a member that stops answering fails that pass (exit 3) instead of holding it]:DURATION:_default' \
'--resync-period=[With --watch\: full pass at least this often, besides reacting to changes (e.g. 30s, 5m)]:DURATION:_default' \
'-o+[Output format of the summary]:FORMAT:((table\:"One row per object × cluster"
json\:"The whole report\: records, errors, cluster health, totals"))' \
'--output=[Output format of the summary]:FORMAT:((table\:"One row per object × cluster"
json\:"The whole report\: records, errors, cluster health, totals"))' \
'--kubeconfig=[Path to the kubeconfig file (default\: \$KUBECONFIG, colon-separated and merged, else ~/.kube/config)]:PATH:_files' \
'--host-cluster-context=[Kubeconfig context of the cluster hosting the control plane (default\: the current context)]:CTX:_default' \
'--kubefed-namespace=[Namespace of the control plane]:NS:_default' \
'--once[Run one pass and exit]' \
'--watch[Keep running, reacting to changes, until SIGINT or SIGTERM]' \
'-A[Federated objects in every namespace (the default)]' \
'--all-namespaces[Federated objects in every namespace (the default)]' \
'--dry-run[Send no write request; say what would be done]' \
'(-q --quiet)*-v[Say more about what is happening (repeat for more detail)]' \
'(-q --quiet)*--verbose[Say more about what is happening (repeat for more detail)]' \
'-q[Print only data and errors]' \
'--quiet[Print only data and errors]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
&& ret=0
;;
(status)
_arguments "${_arguments_options[@]}" : \
'(-A --all-namespaces)-n+[Namespace (default\: the host context'\''s namespace)]:NS:_default' \
'(-A --all-namespaces)--namespace=[Namespace (default\: the host context'\''s namespace)]:NS:_default' \
'-o+[Output format]:FORMAT:((table\:"Aligned columns"
wide\:"Aligned columns, with extra columns"
json\:"The records as a JSON array"
yaml\:"The records as a YAML sequence"))' \
'--output=[Output format]:FORMAT:((table\:"Aligned columns"
wide\:"Aligned columns, with extra columns"
json\:"The records as a JSON array"
yaml\:"The records as a YAML sequence"))' \
'--kubeconfig=[Path to the kubeconfig file (default\: \$KUBECONFIG, colon-separated and merged, else ~/.kube/config)]:PATH:_files' \
'--host-cluster-context=[Kubeconfig context of the cluster hosting the control plane (default\: the current context)]:CTX:_default' \
'--kubefed-namespace=[Namespace of the control plane]:NS:_default' \
'-A[Every namespace]' \
'--all-namespaces[Every namespace]' \
'(-q --quiet)*-v[Say more about what is happening (repeat for more detail)]' \
'(-q --quiet)*--verbose[Say more about what is happening (repeat for more detail)]' \
'-q[Print only data and errors]' \
'--quiet[Print only data and errors]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'::type_name -- Type to show (FTC name such as deployments.apps, kind, or federated kind); all enabled types if omitted:_default' \
'::name -- Name of one federated object (needs TYPE):_default' \
&& ret=0
;;
(diff)
_arguments "${_arguments_options[@]}" : \
'(-A --all-namespaces)-n+[Namespace of the federated objects (default\: every namespace)]:NS:_default' \
'(-A --all-namespaces)--namespace=[Namespace of the federated objects (default\: every namespace)]:NS:_default' \
'--kubeconfig=[Path to the kubeconfig file (default\: \$KUBECONFIG, colon-separated and merged, else ~/.kube/config)]:PATH:_files' \
'--host-cluster-context=[Kubeconfig context of the cluster hosting the control plane (default\: the current context)]:CTX:_default' \
'--kubefed-namespace=[Namespace of the control plane]:NS:_default' \
'-A[Every namespace (the default)]' \
'--all-namespaces[Every namespace (the default)]' \
'(-q --quiet)*-v[Say more about what is happening (repeat for more detail)]' \
'(-q --quiet)*--verbose[Say more about what is happening (repeat for more detail)]' \
'-q[Print only data and errors]' \
'--quiet[Print only data and errors]' \
'-h[Print help]' \
'--help[Print help]' \
'::type_name -- Type to compare (FTC name such as deployments.apps, kind, or federated kind); all enabled types if omitted:_default' \
'::name -- Name of one federated object (needs TYPE):_default' \
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
(demo)
_arguments "${_arguments_options[@]}" : \
'--kubeconfig-out=[With --keep\: where to write the kubeconfig]:PATH:_files' \
'--backend=[Clusters to run on\: sandbox (in-process), real (kube-apiserver, newest built) or real\:VERSION]:B:_default' \
'--kubeconfig=[Path to the kubeconfig file (default\: \$KUBECONFIG, colon-separated and merged, else ~/.kube/config)]:PATH:_files' \
'--host-cluster-context=[Kubeconfig context of the cluster hosting the control plane (default\: the current context)]:CTX:_default' \
'--kubefed-namespace=[Namespace of the control plane]:NS:_default' \
'--keep[Keep the sandbox clusters running after the demo (until Ctrl-C) and write a kubeconfig for them]' \
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
            (init)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(teardown)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(join)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(unjoin)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(clusters)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(enable)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(disable)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(federate)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(orphaning-deletion)
_arguments "${_arguments_options[@]}" : \
":: :_kubefedctl__subcmd__help__subcmd__orphaning-deletion_commands" \
"*::: :->orphaning-deletion" \
&& ret=0

    case $state in
    (orphaning-deletion)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:kubefedctl-help-orphaning-deletion-command-$line[1]:"
        case $line[1] in
            (enable)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(disable)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(status)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
(reconcile)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(status)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(diff)
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
(demo)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(completions)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(version)
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
}

(( $+functions[_kubefedctl_commands] )) ||
_kubefedctl_commands() {
    local commands; commands=(
'init:Install the control plane into the host cluster (or print its manifests)' \
'teardown:Remove the control plane from the host cluster' \
'join:Register a member cluster with the control plane' \
'unjoin:Remove a member cluster from the control plane' \
'clusters:List member clusters, checking their health now' \
'enable:Enable federation of an API type\: create its FederatedTypeConfig and Federated<Kind> CRD' \
'disable:Disable federation of an API type\: stop its propagation and delete its FederatedTypeConfig' \
'federate:Federate an object of the host cluster\: create its Federated<Kind>, placed in every member cluster' \
'orphaning-deletion:Keep or delete member-cluster objects when a federated object is deleted' \
'reconcile:Propagate federated objects to member clusters (--once, or --watch until stopped)' \
'status:Show where federated objects are propagated, one row per object × cluster' \
'diff:Show what the next reconcile would change in each member, as unified diffs' \
'sandbox:Local Kubernetes-API-compatible clusters for trying kubefedctl and for tests' \
'demo:Run the KubeFed quick start end to end on in-process sandbox clusters' \
'completions:Print a shell completion script to stdout' \
'version:Print the version and git commit of kubefedctl' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'kubefedctl commands' commands "$@"
}
(( $+functions[_kubefedctl__subcmd__clusters_commands] )) ||
_kubefedctl__subcmd__clusters_commands() {
    local commands; commands=()
    _describe -t commands 'kubefedctl clusters commands' commands "$@"
}
(( $+functions[_kubefedctl__subcmd__completions_commands] )) ||
_kubefedctl__subcmd__completions_commands() {
    local commands; commands=()
    _describe -t commands 'kubefedctl completions commands' commands "$@"
}
(( $+functions[_kubefedctl__subcmd__demo_commands] )) ||
_kubefedctl__subcmd__demo_commands() {
    local commands; commands=()
    _describe -t commands 'kubefedctl demo commands' commands "$@"
}
(( $+functions[_kubefedctl__subcmd__diff_commands] )) ||
_kubefedctl__subcmd__diff_commands() {
    local commands; commands=()
    _describe -t commands 'kubefedctl diff commands' commands "$@"
}
(( $+functions[_kubefedctl__subcmd__disable_commands] )) ||
_kubefedctl__subcmd__disable_commands() {
    local commands; commands=()
    _describe -t commands 'kubefedctl disable commands' commands "$@"
}
(( $+functions[_kubefedctl__subcmd__enable_commands] )) ||
_kubefedctl__subcmd__enable_commands() {
    local commands; commands=()
    _describe -t commands 'kubefedctl enable commands' commands "$@"
}
(( $+functions[_kubefedctl__subcmd__federate_commands] )) ||
_kubefedctl__subcmd__federate_commands() {
    local commands; commands=()
    _describe -t commands 'kubefedctl federate commands' commands "$@"
}
(( $+functions[_kubefedctl__subcmd__help_commands] )) ||
_kubefedctl__subcmd__help_commands() {
    local commands; commands=(
'init:Install the control plane into the host cluster (or print its manifests)' \
'teardown:Remove the control plane from the host cluster' \
'join:Register a member cluster with the control plane' \
'unjoin:Remove a member cluster from the control plane' \
'clusters:List member clusters, checking their health now' \
'enable:Enable federation of an API type\: create its FederatedTypeConfig and Federated<Kind> CRD' \
'disable:Disable federation of an API type\: stop its propagation and delete its FederatedTypeConfig' \
'federate:Federate an object of the host cluster\: create its Federated<Kind>, placed in every member cluster' \
'orphaning-deletion:Keep or delete member-cluster objects when a federated object is deleted' \
'reconcile:Propagate federated objects to member clusters (--once, or --watch until stopped)' \
'status:Show where federated objects are propagated, one row per object × cluster' \
'diff:Show what the next reconcile would change in each member, as unified diffs' \
'sandbox:Local Kubernetes-API-compatible clusters for trying kubefedctl and for tests' \
'demo:Run the KubeFed quick start end to end on in-process sandbox clusters' \
'completions:Print a shell completion script to stdout' \
'version:Print the version and git commit of kubefedctl' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'kubefedctl help commands' commands "$@"
}
(( $+functions[_kubefedctl__subcmd__help__subcmd__clusters_commands] )) ||
_kubefedctl__subcmd__help__subcmd__clusters_commands() {
    local commands; commands=()
    _describe -t commands 'kubefedctl help clusters commands' commands "$@"
}
(( $+functions[_kubefedctl__subcmd__help__subcmd__completions_commands] )) ||
_kubefedctl__subcmd__help__subcmd__completions_commands() {
    local commands; commands=()
    _describe -t commands 'kubefedctl help completions commands' commands "$@"
}
(( $+functions[_kubefedctl__subcmd__help__subcmd__demo_commands] )) ||
_kubefedctl__subcmd__help__subcmd__demo_commands() {
    local commands; commands=()
    _describe -t commands 'kubefedctl help demo commands' commands "$@"
}
(( $+functions[_kubefedctl__subcmd__help__subcmd__diff_commands] )) ||
_kubefedctl__subcmd__help__subcmd__diff_commands() {
    local commands; commands=()
    _describe -t commands 'kubefedctl help diff commands' commands "$@"
}
(( $+functions[_kubefedctl__subcmd__help__subcmd__disable_commands] )) ||
_kubefedctl__subcmd__help__subcmd__disable_commands() {
    local commands; commands=()
    _describe -t commands 'kubefedctl help disable commands' commands "$@"
}
(( $+functions[_kubefedctl__subcmd__help__subcmd__enable_commands] )) ||
_kubefedctl__subcmd__help__subcmd__enable_commands() {
    local commands; commands=()
    _describe -t commands 'kubefedctl help enable commands' commands "$@"
}
(( $+functions[_kubefedctl__subcmd__help__subcmd__federate_commands] )) ||
_kubefedctl__subcmd__help__subcmd__federate_commands() {
    local commands; commands=()
    _describe -t commands 'kubefedctl help federate commands' commands "$@"
}
(( $+functions[_kubefedctl__subcmd__help__subcmd__help_commands] )) ||
_kubefedctl__subcmd__help__subcmd__help_commands() {
    local commands; commands=()
    _describe -t commands 'kubefedctl help help commands' commands "$@"
}
(( $+functions[_kubefedctl__subcmd__help__subcmd__init_commands] )) ||
_kubefedctl__subcmd__help__subcmd__init_commands() {
    local commands; commands=()
    _describe -t commands 'kubefedctl help init commands' commands "$@"
}
(( $+functions[_kubefedctl__subcmd__help__subcmd__join_commands] )) ||
_kubefedctl__subcmd__help__subcmd__join_commands() {
    local commands; commands=()
    _describe -t commands 'kubefedctl help join commands' commands "$@"
}
(( $+functions[_kubefedctl__subcmd__help__subcmd__orphaning-deletion_commands] )) ||
_kubefedctl__subcmd__help__subcmd__orphaning-deletion_commands() {
    local commands; commands=(
'enable:Mark a federated object so that deleting it leaves its member-cluster objects in place' \
'disable:Delete member-cluster objects together with the federated object again (the default)' \
'status:Print whether deleting a federated object leaves its member-cluster objects in place' \
    )
    _describe -t commands 'kubefedctl help orphaning-deletion commands' commands "$@"
}
(( $+functions[_kubefedctl__subcmd__help__subcmd__orphaning-deletion__subcmd__disable_commands] )) ||
_kubefedctl__subcmd__help__subcmd__orphaning-deletion__subcmd__disable_commands() {
    local commands; commands=()
    _describe -t commands 'kubefedctl help orphaning-deletion disable commands' commands "$@"
}
(( $+functions[_kubefedctl__subcmd__help__subcmd__orphaning-deletion__subcmd__enable_commands] )) ||
_kubefedctl__subcmd__help__subcmd__orphaning-deletion__subcmd__enable_commands() {
    local commands; commands=()
    _describe -t commands 'kubefedctl help orphaning-deletion enable commands' commands "$@"
}
(( $+functions[_kubefedctl__subcmd__help__subcmd__orphaning-deletion__subcmd__status_commands] )) ||
_kubefedctl__subcmd__help__subcmd__orphaning-deletion__subcmd__status_commands() {
    local commands; commands=()
    _describe -t commands 'kubefedctl help orphaning-deletion status commands' commands "$@"
}
(( $+functions[_kubefedctl__subcmd__help__subcmd__reconcile_commands] )) ||
_kubefedctl__subcmd__help__subcmd__reconcile_commands() {
    local commands; commands=()
    _describe -t commands 'kubefedctl help reconcile commands' commands "$@"
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
(( $+functions[_kubefedctl__subcmd__help__subcmd__status_commands] )) ||
_kubefedctl__subcmd__help__subcmd__status_commands() {
    local commands; commands=()
    _describe -t commands 'kubefedctl help status commands' commands "$@"
}
(( $+functions[_kubefedctl__subcmd__help__subcmd__teardown_commands] )) ||
_kubefedctl__subcmd__help__subcmd__teardown_commands() {
    local commands; commands=()
    _describe -t commands 'kubefedctl help teardown commands' commands "$@"
}
(( $+functions[_kubefedctl__subcmd__help__subcmd__unjoin_commands] )) ||
_kubefedctl__subcmd__help__subcmd__unjoin_commands() {
    local commands; commands=()
    _describe -t commands 'kubefedctl help unjoin commands' commands "$@"
}
(( $+functions[_kubefedctl__subcmd__help__subcmd__version_commands] )) ||
_kubefedctl__subcmd__help__subcmd__version_commands() {
    local commands; commands=()
    _describe -t commands 'kubefedctl help version commands' commands "$@"
}
(( $+functions[_kubefedctl__subcmd__init_commands] )) ||
_kubefedctl__subcmd__init_commands() {
    local commands; commands=()
    _describe -t commands 'kubefedctl init commands' commands "$@"
}
(( $+functions[_kubefedctl__subcmd__join_commands] )) ||
_kubefedctl__subcmd__join_commands() {
    local commands; commands=()
    _describe -t commands 'kubefedctl join commands' commands "$@"
}
(( $+functions[_kubefedctl__subcmd__orphaning-deletion_commands] )) ||
_kubefedctl__subcmd__orphaning-deletion_commands() {
    local commands; commands=(
'enable:Mark a federated object so that deleting it leaves its member-cluster objects in place' \
'disable:Delete member-cluster objects together with the federated object again (the default)' \
'status:Print whether deleting a federated object leaves its member-cluster objects in place' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'kubefedctl orphaning-deletion commands' commands "$@"
}
(( $+functions[_kubefedctl__subcmd__orphaning-deletion__subcmd__disable_commands] )) ||
_kubefedctl__subcmd__orphaning-deletion__subcmd__disable_commands() {
    local commands; commands=()
    _describe -t commands 'kubefedctl orphaning-deletion disable commands' commands "$@"
}
(( $+functions[_kubefedctl__subcmd__orphaning-deletion__subcmd__enable_commands] )) ||
_kubefedctl__subcmd__orphaning-deletion__subcmd__enable_commands() {
    local commands; commands=()
    _describe -t commands 'kubefedctl orphaning-deletion enable commands' commands "$@"
}
(( $+functions[_kubefedctl__subcmd__orphaning-deletion__subcmd__help_commands] )) ||
_kubefedctl__subcmd__orphaning-deletion__subcmd__help_commands() {
    local commands; commands=(
'enable:Mark a federated object so that deleting it leaves its member-cluster objects in place' \
'disable:Delete member-cluster objects together with the federated object again (the default)' \
'status:Print whether deleting a federated object leaves its member-cluster objects in place' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'kubefedctl orphaning-deletion help commands' commands "$@"
}
(( $+functions[_kubefedctl__subcmd__orphaning-deletion__subcmd__help__subcmd__disable_commands] )) ||
_kubefedctl__subcmd__orphaning-deletion__subcmd__help__subcmd__disable_commands() {
    local commands; commands=()
    _describe -t commands 'kubefedctl orphaning-deletion help disable commands' commands "$@"
}
(( $+functions[_kubefedctl__subcmd__orphaning-deletion__subcmd__help__subcmd__enable_commands] )) ||
_kubefedctl__subcmd__orphaning-deletion__subcmd__help__subcmd__enable_commands() {
    local commands; commands=()
    _describe -t commands 'kubefedctl orphaning-deletion help enable commands' commands "$@"
}
(( $+functions[_kubefedctl__subcmd__orphaning-deletion__subcmd__help__subcmd__help_commands] )) ||
_kubefedctl__subcmd__orphaning-deletion__subcmd__help__subcmd__help_commands() {
    local commands; commands=()
    _describe -t commands 'kubefedctl orphaning-deletion help help commands' commands "$@"
}
(( $+functions[_kubefedctl__subcmd__orphaning-deletion__subcmd__help__subcmd__status_commands] )) ||
_kubefedctl__subcmd__orphaning-deletion__subcmd__help__subcmd__status_commands() {
    local commands; commands=()
    _describe -t commands 'kubefedctl orphaning-deletion help status commands' commands "$@"
}
(( $+functions[_kubefedctl__subcmd__orphaning-deletion__subcmd__status_commands] )) ||
_kubefedctl__subcmd__orphaning-deletion__subcmd__status_commands() {
    local commands; commands=()
    _describe -t commands 'kubefedctl orphaning-deletion status commands' commands "$@"
}
(( $+functions[_kubefedctl__subcmd__reconcile_commands] )) ||
_kubefedctl__subcmd__reconcile_commands() {
    local commands; commands=()
    _describe -t commands 'kubefedctl reconcile commands' commands "$@"
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
(( $+functions[_kubefedctl__subcmd__status_commands] )) ||
_kubefedctl__subcmd__status_commands() {
    local commands; commands=()
    _describe -t commands 'kubefedctl status commands' commands "$@"
}
(( $+functions[_kubefedctl__subcmd__teardown_commands] )) ||
_kubefedctl__subcmd__teardown_commands() {
    local commands; commands=()
    _describe -t commands 'kubefedctl teardown commands' commands "$@"
}
(( $+functions[_kubefedctl__subcmd__unjoin_commands] )) ||
_kubefedctl__subcmd__unjoin_commands() {
    local commands; commands=()
    _describe -t commands 'kubefedctl unjoin commands' commands "$@"
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
