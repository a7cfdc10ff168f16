# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_kubefedctl_global_optspecs
    string join \n kubeconfig= host-cluster-context= kubefed-namespace= v/verbose q/quiet h/help V/version
end

function __fish_kubefedctl_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_kubefedctl_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_kubefedctl_using_subcommand
    set -l cmd (__fish_kubefedctl_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c kubefedctl -n "__fish_kubefedctl_needs_command" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, colon-separated and merged, else ~/.kube/config)' -r -F
complete -c kubefedctl -n "__fish_kubefedctl_needs_command" -l host-cluster-context -d 'Kubeconfig context of the cluster hosting the control plane (default: the current context)' -r
complete -c kubefedctl -n "__fish_kubefedctl_needs_command" -l kubefed-namespace -d 'Namespace of the control plane' -r
complete -c kubefedctl -n "__fish_kubefedctl_needs_command" -s v -l verbose -d 'Say more about what is happening (repeat for more detail)'
complete -c kubefedctl -n "__fish_kubefedctl_needs_command" -s q -l quiet -d 'Print only data and errors'
complete -c kubefedctl -n "__fish_kubefedctl_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubefedctl -n "__fish_kubefedctl_needs_command" -s V -l version -d 'Print version'
complete -c kubefedctl -n "__fish_kubefedctl_needs_command" -f -a "init" -d 'Install the control plane into the host cluster (or print its manifests)'
complete -c kubefedctl -n "__fish_kubefedctl_needs_command" -f -a "teardown" -d 'Remove the control plane from the host cluster'
complete -c kubefedctl -n "__fish_kubefedctl_needs_command" -f -a "join" -d 'Register a member cluster with the control plane'
complete -c kubefedctl -n "__fish_kubefedctl_needs_command" -f -a "unjoin" -d 'Remove a member cluster from the control plane'
complete -c kubefedctl -n "__fish_kubefedctl_needs_command" -f -a "clusters" -d 'List member clusters, checking their health now'
complete -c kubefedctl -n "__fish_kubefedctl_needs_command" -f -a "enable" -d 'Enable federation of an API type: create its FederatedTypeConfig and Federated<Kind> CRD'
complete -c kubefedctl -n "__fish_kubefedctl_needs_command" -f -a "disable" -d 'Disable federation of an API type: stop its propagation and delete its FederatedTypeConfig'
complete -c kubefedctl -n "__fish_kubefedctl_needs_command" -f -a "federate" -d 'Federate an object of the host cluster: create its Federated<Kind>, placed in every member cluster'
complete -c kubefedctl -n "__fish_kubefedctl_needs_command" -f -a "orphaning-deletion" -d 'Keep or delete member-cluster objects when a federated object is deleted'
complete -c kubefedctl -n "__fish_kubefedctl_needs_command" -f -a "reconcile" -d 'Propagate federated objects to member clusters (--once, or --watch until stopped)'
complete -c kubefedctl -n "__fish_kubefedctl_needs_command" -f -a "status" -d 'Show where federated objects are propagated, one row per object × cluster'
complete -c kubefedctl -n "__fish_kubefedctl_needs_command" -f -a "diff" -d 'Show what the next reconcile would change in each member, as unified diffs'
complete -c kubefedctl -n "__fish_kubefedctl_needs_command" -f -a "sandbox" -d 'Local Kubernetes-API-compatible clusters for trying kubefedctl and for tests'
complete -c kubefedctl -n "__fish_kubefedctl_needs_command" -f -a "demo" -d 'Run the KubeFed quick start end to end on in-process sandbox clusters'
complete -c kubefedctl -n "__fish_kubefedctl_needs_command" -f -a "completions" -d 'Print a shell completion script to stdout'
complete -c kubefedctl -n "__fish_kubefedctl_needs_command" -f -a "version" -d 'Print the version and git commit of kubefedctl'
complete -c kubefedctl -n "__fish_kubefedctl_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand init" -l scope -d 'Scope of the control plane: Cluster federates every namespace, Namespaced only the kubefed namespace [default: the installed control plane\'s, else Cluster]. Immutable once installed' -r -f -a "Cluster\t'Federate every namespace of the member clusters'
Namespaced\t'Federate only the kubefed namespace'"
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand init" -s o -l output -d 'Print every manifest in install order instead of installing (contacts no cluster)' -r -f -a "json\t''
yaml\t''"
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand init" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, colon-separated and merged, else ~/.kube/config)' -r -F
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand init" -l host-cluster-context -d 'Kubeconfig context of the cluster hosting the control plane (default: the current context)' -r
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand init" -l kubefed-namespace -d 'Namespace of the control plane' -r
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand init" -l no-default-types -d 'Install no federated type (enable types later with `kubefedctl enable`)'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand init" -l dry-run -d 'Send no write request; say what would be done'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand init" -s v -l verbose -d 'Say more about what is happening (repeat for more detail)'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand init" -s q -l quiet -d 'Print only data and errors'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand init" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand teardown" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, colon-separated and merged, else ~/.kube/config)' -r -F
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand teardown" -l host-cluster-context -d 'Kubeconfig context of the cluster hosting the control plane (default: the current context)' -r
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand teardown" -l kubefed-namespace -d 'Namespace of the control plane' -r
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand teardown" -s y -l yes -d 'Do not ask for confirmation (required when stdin is not a terminal)'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand teardown" -l orphan -d 'Leave the objects the control plane propagated in the member clusters (annotate every federated object kubefed.io/orphan: "true" before deleting it)'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand teardown" -s v -l verbose -d 'Say more about what is happening (repeat for more detail)'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand teardown" -s q -l quiet -d 'Print only data and errors'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand teardown" -s h -l help -d 'Print help'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand join" -l cluster-context -d 'Kubeconfig context of the member cluster [default: NAME]' -r
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand join" -l host-cluster-name -d 'Name of the host in the names created in the member, instead of the host context\'s name (required when that contains \':\' or \'/\')' -r
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand join" -l secret-name -d 'Name of the credentials Secret in the host [default: generated from NAME-]' -r
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand join" -l error-on-existing -d 'Fail when any object of the registration already exists; with false, reuse and update them' -r -f -a "true\t''
false\t''"
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand join" -l label -d 'Label of the KubeFedCluster, for clusterSelector placement (repeatable)' -r
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand join" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, colon-separated and merged, else ~/.kube/config)' -r -F
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand join" -l host-cluster-context -d 'Kubeconfig context of the cluster hosting the control plane (default: the current context)' -r
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand join" -l kubefed-namespace -d 'Namespace of the control plane' -r
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand join" -l dry-run -d 'Send no write request; say what would be done'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand join" -s v -l verbose -d 'Say more about what is happening (repeat for more detail)'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand join" -s q -l quiet -d 'Print only data and errors'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand join" -s h -l help -d 'Print help'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand unjoin" -l cluster-context -d 'Kubeconfig context of the member cluster [default: NAME]' -r
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand unjoin" -l host-cluster-name -d 'The --host-cluster-name the cluster was joined with' -r
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand unjoin" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, colon-separated and merged, else ~/.kube/config)' -r -F
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand unjoin" -l host-cluster-context -d 'Kubeconfig context of the cluster hosting the control plane (default: the current context)' -r
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand unjoin" -l kubefed-namespace -d 'Namespace of the control plane' -r
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand unjoin" -l force -d 'Remove the registration from the host even if the member cannot be reached or cleaned up'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand unjoin" -l dry-run -d 'Send no write request; say what would be done'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand unjoin" -s v -l verbose -d 'Say more about what is happening (repeat for more detail)'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand unjoin" -s q -l quiet -d 'Print only data and errors'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand unjoin" -s h -l help -d 'Print help'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand clusters" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns'
wide\t'Aligned columns, with extra columns'
json\t'The records as a JSON array'
yaml\t'The records as a YAML sequence'"
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand clusters" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, colon-separated and merged, else ~/.kube/config)' -r -F
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand clusters" -l host-cluster-context -d 'Kubeconfig context of the cluster hosting the control plane (default: the current context)' -r
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand clusters" -l kubefed-namespace -d 'Namespace of the control plane' -r
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand clusters" -s v -l verbose -d 'Say more about what is happening (repeat for more detail)'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand clusters" -s q -l quiet -d 'Print only data and errors'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand clusters" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand enable" -l federated-group -d 'API group of the generated federated type' -r
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand enable" -l federated-version -d 'API version of the generated federated type' -r
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand enable" -l version -d 'Look TARGET up in this API version only (default: the version the server prefers)' -r
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand enable" -s o -l output -d 'Print the FederatedTypeConfig and the CRD as YAML instead of creating them (only `yaml`)' -r
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand enable" -s f -l filename -d 'Read an EnableTypeDirective (apiVersion core.kubefed.io/v1beta1) instead of TARGET and flags' -r -F
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand enable" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, colon-separated and merged, else ~/.kube/config)' -r -F
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand enable" -l host-cluster-context -d 'Kubeconfig context of the cluster hosting the control plane (default: the current context)' -r
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand enable" -l kubefed-namespace -d 'Namespace of the control plane' -r
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand enable" -l dry-run -d 'Send no write request; say what would be done'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand enable" -s v -l verbose -d 'Say more about what is happening (repeat for more detail)'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand enable" -s q -l quiet -d 'Print only data and errors'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand enable" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand disable" -l federated-group -d 'API group of the federated type, to find its CRD when the FTC is already gone (with --delete-crd)' -r
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand disable" -l version -d 'Look NAME up in this API version only (with --delete-crd)' -r
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand disable" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, colon-separated and merged, else ~/.kube/config)' -r -F
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand disable" -l host-cluster-context -d 'Kubeconfig context of the cluster hosting the control plane (default: the current context)' -r
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand disable" -l kubefed-namespace -d 'Namespace of the control plane' -r
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand disable" -l delete-crd -d 'Also delete the Federated<Kind> CRD (refused while federated objects of the type exist)'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand disable" -l dry-run -d 'Send no write request; say what would be done'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand disable" -s v -l verbose -d 'Say more about what is happening (repeat for more detail)'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand disable" -s q -l quiet -d 'Print only data and errors'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand disable" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand federate" -s n -l namespace -d 'Namespace of the object (default: the context\'s namespace, else `default`; ignored for namespaces)' -r
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand federate" -s s -l skip-api-resources -d 'With --contents: types (any name the type lookup accepts) or API groups not to federate' -r
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand federate" -s o -l output -d 'Print the federated objects instead of creating them' -r -f -a "json\t''
yaml\t''"
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand federate" -s f -l filename -d 'Convert the objects of this multi-document YAML file (`-` for stdin) offline and print them' -r
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand federate" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, colon-separated and merged, else ~/.kube/config)' -r -F
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand federate" -l host-cluster-context -d 'Kubeconfig context of the cluster hosting the control plane (default: the current context)' -r
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand federate" -l kubefed-namespace -d 'Namespace of the control plane' -r
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand federate" -s c -l contents -d 'With TYPE namespaces: also federate every namespaced object inside the namespace'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand federate" -s t -l enable-type -d 'Enable the type first (FederatedTypeConfig + CRD) when it is not enabled yet'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand federate" -l dry-run -d 'Send no write request; say what would be done'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand federate" -s v -l verbose -d 'Say more about what is happening (repeat for more detail)'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand federate" -s q -l quiet -d 'Print only data and errors'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand federate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand orphaning-deletion; and not __fish_seen_subcommand_from enable disable status help" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, colon-separated and merged, else ~/.kube/config)' -r -F
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand orphaning-deletion; and not __fish_seen_subcommand_from enable disable status help" -l host-cluster-context -d 'Kubeconfig context of the cluster hosting the control plane (default: the current context)' -r
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand orphaning-deletion; and not __fish_seen_subcommand_from enable disable status help" -l kubefed-namespace -d 'Namespace of the control plane' -r
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand orphaning-deletion; and not __fish_seen_subcommand_from enable disable status help" -s v -l verbose -d 'Say more about what is happening (repeat for more detail)'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand orphaning-deletion; and not __fish_seen_subcommand_from enable disable status help" -s q -l quiet -d 'Print only data and errors'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand orphaning-deletion; and not __fish_seen_subcommand_from enable disable status help" -s h -l help -d 'Print help'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand orphaning-deletion; and not __fish_seen_subcommand_from enable disable status help" -f -a "enable" -d 'Mark a federated object so that deleting it leaves its member-cluster objects in place'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand orphaning-deletion; and not __fish_seen_subcommand_from enable disable status help" -f -a "disable" -d 'Delete member-cluster objects together with the federated object again (the default)'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand orphaning-deletion; and not __fish_seen_subcommand_from enable disable status help" -f -a "status" -d 'Print whether deleting a federated object leaves its member-cluster objects in place'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand orphaning-deletion; and not __fish_seen_subcommand_from enable disable status help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand orphaning-deletion; and __fish_seen_subcommand_from enable" -s n -l namespace -d 'Namespace of the federated object (default: the context\'s namespace, else `default`)' -r
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand orphaning-deletion; and __fish_seen_subcommand_from enable" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, colon-separated and merged, else ~/.kube/config)' -r -F
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand orphaning-deletion; and __fish_seen_subcommand_from enable" -l host-cluster-context -d 'Kubeconfig context of the cluster hosting the control plane (default: the current context)' -r
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand orphaning-deletion; and __fish_seen_subcommand_from enable" -l kubefed-namespace -d 'Namespace of the control plane' -r
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand orphaning-deletion; and __fish_seen_subcommand_from enable" -l dry-run -d 'Send no write request; say what would be done'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand orphaning-deletion; and __fish_seen_subcommand_from enable" -s v -l verbose -d 'Say more about what is happening (repeat for more detail)'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand orphaning-deletion; and __fish_seen_subcommand_from enable" -s q -l quiet -d 'Print only data and errors'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand orphaning-deletion; and __fish_seen_subcommand_from enable" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand orphaning-deletion; and __fish_seen_subcommand_from disable" -s n -l namespace -d 'Namespace of the federated object (default: the context\'s namespace, else `default`)' -r
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand orphaning-deletion; and __fish_seen_subcommand_from disable" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, colon-separated and merged, else ~/.kube/config)' -r -F
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand orphaning-deletion; and __fish_seen_subcommand_from disable" -l host-cluster-context -d 'Kubeconfig context of the cluster hosting the control plane (default: the current context)' -r
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand orphaning-deletion; and __fish_seen_subcommand_from disable" -l kubefed-namespace -d 'Namespace of the control plane' -r
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand orphaning-deletion; and __fish_seen_subcommand_from disable" -l dry-run -d 'Send no write request; say what would be done'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand orphaning-deletion; and __fish_seen_subcommand_from disable" -s v -l verbose -d 'Say more about what is happening (repeat for more detail)'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand orphaning-deletion; and __fish_seen_subcommand_from disable" -s q -l quiet -d 'Print only data and errors'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand orphaning-deletion; and __fish_seen_subcommand_from disable" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand orphaning-deletion; and __fish_seen_subcommand_from status" -s n -l namespace -d 'Namespace of the federated object (default: the context\'s namespace, else `default`)' -r
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand orphaning-deletion; and __fish_seen_subcommand_from status" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, colon-separated and merged, else ~/.kube/config)' -r -F
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand orphaning-deletion; and __fish_seen_subcommand_from status" -l host-cluster-context -d 'Kubeconfig context of the cluster hosting the control plane (default: the current context)' -r
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand orphaning-deletion; and __fish_seen_subcommand_from status" -l kubefed-namespace -d 'Namespace of the control plane' -r
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand orphaning-deletion; and __fish_seen_subcommand_from status" -s v -l verbose -d 'Say more about what is happening (repeat for more detail)'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand orphaning-deletion; and __fish_seen_subcommand_from status" -s q -l quiet -d 'Print only data and errors'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand orphaning-deletion; and __fish_seen_subcommand_from status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand orphaning-deletion; and __fish_seen_subcommand_from help" -f -a "enable" -d 'Mark a federated object so that deleting it leaves its member-cluster objects in place'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand orphaning-deletion; and __fish_seen_subcommand_from help" -f -a "disable" -d 'Delete member-cluster objects together with the federated object again (the default)'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand orphaning-deletion; and __fish_seen_subcommand_from help" -f -a "status" -d 'Print whether deleting a federated object leaves its member-cluster objects in place'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand orphaning-deletion; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand reconcile" -s n -l namespace -d 'Only federated objects in this namespace (cluster-scoped types are skipped)' -r
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand reconcile" -l type -d 'Only this type (FTC name such as deployments.apps, kind, or federated kind); repeatable' -r
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand reconcile" -l concurrency -d 'Requests in flight at once to each cluster (a slow member never holds another\'s)' -r
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand reconcile" -l request-timeout -d 'How long one request to a member may wait for its answer (e.g. 10s, 1m); a member that stops answering fails that pass (exit 3) instead of holding it' -r
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand reconcile" -l resync-period -d 'With --watch: full pass at least this often, besides reacting to changes (e.g. 30s, 5m)' -r
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand reconcile" -s o -l output -d 'Output format of the summary' -r -f -a "table\t'One row per object × cluster'
json\t'The whole report: records, errors, cluster health, totals'"
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand reconcile" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, colon-separated and merged, else ~/.kube/config)' -r -F
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand reconcile" -l host-cluster-context -d 'Kubeconfig context of the cluster hosting the control plane (default: the current context)' -r
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand reconcile" -l kubefed-namespace -d 'Namespace of the control plane' -r
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand reconcile" -l once -d 'Run one pass and exit'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand reconcile" -l watch -d 'Keep running, reacting to changes, until SIGINT or SIGTERM'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand reconcile" -s A -l all-namespaces -d 'Federated objects in every namespace (the default)'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand reconcile" -l dry-run -d 'Send no write request; say what would be done'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand reconcile" -s v -l verbose -d 'Say more about what is happening (repeat for more detail)'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand reconcile" -s q -l quiet -d 'Print only data and errors'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand reconcile" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand status" -s n -l namespace -d 'Namespace (default: the host context\'s namespace)' -r
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand status" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns'
wide\t'Aligned columns, with extra columns'
json\t'The records as a JSON array'
yaml\t'The records as a YAML sequence'"
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand status" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, colon-separated and merged, else ~/.kube/config)' -r -F
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand status" -l host-cluster-context -d 'Kubeconfig context of the cluster hosting the control plane (default: the current context)' -r
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand status" -l kubefed-namespace -d 'Namespace of the control plane' -r
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand status" -s A -l all-namespaces -d 'Every namespace'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand status" -s v -l verbose -d 'Say more about what is happening (repeat for more detail)'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand status" -s q -l quiet -d 'Print only data and errors'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand diff" -s n -l namespace -d 'Namespace of the federated objects (default: every namespace)' -r
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand diff" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, colon-separated and merged, else ~/.kube/config)' -r -F
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand diff" -l host-cluster-context -d 'Kubeconfig context of the cluster hosting the control plane (default: the current context)' -r
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand diff" -l kubefed-namespace -d 'Namespace of the control plane' -r
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand diff" -s A -l all-namespaces -d 'Every namespace (the default)'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand diff" -s v -l verbose -d 'Say more about what is happening (repeat for more detail)'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand diff" -s q -l quiet -d 'Print only data and errors'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand diff" -s h -l help -d 'Print help'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand sandbox; and not __fish_seen_subcommand_from up help" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, colon-separated and merged, else ~/.kube/config)' -r -F
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand sandbox; and not __fish_seen_subcommand_from up help" -l host-cluster-context -d 'Kubeconfig context of the cluster hosting the control plane (default: the current context)' -r
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand sandbox; and not __fish_seen_subcommand_from up help" -l kubefed-namespace -d 'Namespace of the control plane' -r
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand sandbox; and not __fish_seen_subcommand_from up help" -s v -l verbose -d 'Say more about what is happening (repeat for more detail)'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand sandbox; and not __fish_seen_subcommand_from up help" -s q -l quiet -d 'Print only data and errors'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand sandbox; and not __fish_seen_subcommand_from up help" -s h -l help -d 'Print help'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand sandbox; and not __fish_seen_subcommand_from up help" -f -a "up" -d 'Serve clusters on 127.0.0.1 until interrupted, and write a kubeconfig for them'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand sandbox; and not __fish_seen_subcommand_from up help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand sandbox; and __fish_seen_subcommand_from up" -l clusters -d 'Cluster names, comma-separated (each a DNS-1123 label)' -r
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand sandbox; and __fish_seen_subcommand_from up" -l data-dir -d 'Keep state under DIR/<cluster> so it survives restarts (default: in memory)' -r -F
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand sandbox; and __fish_seen_subcommand_from up" -l port -d 'Port of the first cluster; the others take the following ports (default: free ports)' -r
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand sandbox; and __fish_seen_subcommand_from up" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, colon-separated and merged, else ~/.kube/config)' -r -F
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand sandbox; and __fish_seen_subcommand_from up" -l host-cluster-context -d 'Kubeconfig context of the cluster hosting the control plane (default: the current context)' -r
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand sandbox; and __fish_seen_subcommand_from up" -l kubefed-namespace -d 'Namespace of the control plane' -r
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand sandbox; and __fish_seen_subcommand_from up" -s v -l verbose -d 'Say more about what is happening (repeat for more detail)'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand sandbox; and __fish_seen_subcommand_from up" -s q -l quiet -d 'Print only data and errors'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand sandbox; and __fish_seen_subcommand_from up" -s h -l help -d 'Print help'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand sandbox; and __fish_seen_subcommand_from help" -f -a "up" -d 'Serve clusters on 127.0.0.1 until interrupted, and write a kubeconfig for them'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand sandbox; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand demo" -l kubeconfig-out -d 'With --keep: where to write the kubeconfig' -r -F
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand demo" -l backend -d 'Clusters to run on: sandbox (in-process), real (kube-apiserver, newest built) or real:VERSION' -r
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand demo" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, colon-separated and merged, else ~/.kube/config)' -r -F
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand demo" -l host-cluster-context -d 'Kubeconfig context of the cluster hosting the control plane (default: the current context)' -r
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand demo" -l kubefed-namespace -d 'Namespace of the control plane' -r
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand demo" -l keep -d 'Keep the sandbox clusters running after the demo (until Ctrl-C) and write a kubeconfig for them'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand demo" -s v -l verbose -d 'Say more about what is happening (repeat for more detail)'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand demo" -s q -l quiet -d 'Print only data and errors'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand demo" -s h -l help -d 'Print help'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand completions" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, colon-separated and merged, else ~/.kube/config)' -r -F
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand completions" -l host-cluster-context -d 'Kubeconfig context of the cluster hosting the control plane (default: the current context)' -r
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand completions" -l kubefed-namespace -d 'Namespace of the control plane' -r
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand completions" -s v -l verbose -d 'Say more about what is happening (repeat for more detail)'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand completions" -s q -l quiet -d 'Print only data and errors'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand completions" -s h -l help -d 'Print help'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand version" -s o -l output -d 'Print the version as a JSON or YAML object instead of a line' -r -f -a "json\t''
yaml\t''"
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand version" -l kubeconfig -d 'Path to the kubeconfig file (default: $KUBECONFIG, colon-separated and merged, else ~/.kube/config)' -r -F
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand version" -l host-cluster-context -d 'Kubeconfig context of the cluster hosting the control plane (default: the current context)' -r
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand version" -l kubefed-namespace -d 'Namespace of the control plane' -r
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand version" -s v -l verbose -d 'Say more about what is happening (repeat for more detail)'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand version" -s q -l quiet -d 'Print only data and errors'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand version" -s h -l help -d 'Print help'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand help; and not __fish_seen_subcommand_from init teardown join unjoin clusters enable disable federate orphaning-deletion reconcile status diff sandbox demo completions version help" -f -a "init" -d 'Install the control plane into the host cluster (or print its manifests)'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand help; and not __fish_seen_subcommand_from init teardown join unjoin clusters enable disable federate orphaning-deletion reconcile status diff sandbox demo completions version help" -f -a "teardown" -d 'Remove the control plane from the host cluster'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand help; and not __fish_seen_subcommand_from init teardown join unjoin clusters enable disable federate orphaning-deletion reconcile status diff sandbox demo completions version help" -f -a "join" -d 'Register a member cluster with the control plane'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand help; and not __fish_seen_subcommand_from init teardown join unjoin clusters enable disable federate orphaning-deletion reconcile status diff sandbox demo completions version help" -f -a "unjoin" -d 'Remove a member cluster from the control plane'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand help; and not __fish_seen_subcommand_from init teardown join unjoin clusters enable disable federate orphaning-deletion reconcile status diff sandbox demo completions version help" -f -a "clusters" -d 'List member clusters, checking their health now'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand help; and not __fish_seen_subcommand_from init teardown join unjoin clusters enable disable federate orphaning-deletion reconcile status diff sandbox demo completions version help" -f -a "enable" -d 'Enable federation of an API type: create its FederatedTypeConfig and Federated<Kind> CRD'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand help; and not __fish_seen_subcommand_from init teardown join unjoin clusters enable disable federate orphaning-deletion reconcile status diff sandbox demo completions version help" -f -a "disable" -d 'Disable federation of an API type: stop its propagation and delete its FederatedTypeConfig'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand help; and not __fish_seen_subcommand_from init teardown join unjoin clusters enable disable federate orphaning-deletion reconcile status diff sandbox demo completions version help" -f -a "federate" -d 'Federate an object of the host cluster: create its Federated<Kind>, placed in every member cluster'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand help; and not __fish_seen_subcommand_from init teardown join unjoin clusters enable disable federate orphaning-deletion reconcile status diff sandbox demo completions version help" -f -a "orphaning-deletion" -d 'Keep or delete member-cluster objects when a federated object is deleted'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand help; and not __fish_seen_subcommand_from init teardown join unjoin clusters enable disable federate orphaning-deletion reconcile status diff sandbox demo completions version help" -f -a "reconcile" -d 'Propagate federated objects to member clusters (--once, or --watch until stopped)'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand help; and not __fish_seen_subcommand_from init teardown join unjoin clusters enable disable federate orphaning-deletion reconcile status diff sandbox demo completions version help" -f -a "status" -d 'Show where federated objects are propagated, one row per object × cluster'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand help; and not __fish_seen_subcommand_from init teardown join unjoin clusters enable disable federate orphaning-deletion reconcile status diff sandbox demo completions version help" -f -a "diff" -d 'Show what the next reconcile would change in each member, as unified diffs'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand help; and not __fish_seen_subcommand_from init teardown join unjoin clusters enable disable federate orphaning-deletion reconcile status diff sandbox demo completions version help" -f -a "sandbox" -d 'Local Kubernetes-API-compatible clusters for trying kubefedctl and for tests'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand help; and not __fish_seen_subcommand_from init teardown join unjoin clusters enable disable federate orphaning-deletion reconcile status diff sandbox demo completions version help" -f -a "demo" -d 'Run the KubeFed quick start end to end on in-process sandbox clusters'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand help; and not __fish_seen_subcommand_from init teardown join unjoin clusters enable disable federate orphaning-deletion reconcile status diff sandbox demo completions version help" -f -a "completions" -d 'Print a shell completion script to stdout'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand help; and not __fish_seen_subcommand_from init teardown join unjoin clusters enable disable federate orphaning-deletion reconcile status diff sandbox demo completions version help" -f -a "version" -d 'Print the version and git commit of kubefedctl'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand help; and not __fish_seen_subcommand_from init teardown join unjoin clusters enable disable federate orphaning-deletion reconcile status diff sandbox demo completions version help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand help; and __fish_seen_subcommand_from orphaning-deletion" -f -a "enable" -d 'Mark a federated object so that deleting it leaves its member-cluster objects in place'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand help; and __fish_seen_subcommand_from orphaning-deletion" -f -a "disable" -d 'Delete member-cluster objects together with the federated object again (the default)'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand help; and __fish_seen_subcommand_from orphaning-deletion" -f -a "status" -d 'Print whether deleting a federated object leaves its member-cluster objects in place'
complete -c kubefedctl -n "__fish_kubefedctl_using_subcommand help; and __fish_seen_subcommand_from sandbox" -f -a "up" -d 'Serve clusters on 127.0.0.1 until interrupted, and write a kubeconfig for them'
