
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'kubefedctl' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'kubefedctl'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'kubefedctl' {
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, colon-separated and merged, else ~/.kube/config)')
            [CompletionResult]::new('--host-cluster-context', '--host-cluster-context', [CompletionResultType]::ParameterName, 'Kubeconfig context of the cluster hosting the control plane (default: the current context)')
            [CompletionResult]::new('--kubefed-namespace', '--kubefed-namespace', [CompletionResultType]::ParameterName, 'Namespace of the control plane')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more about what is happening (repeat for more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what is happening (repeat for more detail)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Install the control plane into the host cluster (or print its manifests)')
            [CompletionResult]::new('teardown', 'teardown', [CompletionResultType]::ParameterValue, 'Remove the control plane from the host cluster')
            [CompletionResult]::new('join', 'join', [CompletionResultType]::ParameterValue, 'Register a member cluster with the control plane')
            [CompletionResult]::new('unjoin', 'unjoin', [CompletionResultType]::ParameterValue, 'Remove a member cluster from the control plane')
            [CompletionResult]::new('clusters', 'clusters', [CompletionResultType]::ParameterValue, 'List member clusters, checking their health now')
            [CompletionResult]::new('enable', 'enable', [CompletionResultType]::ParameterValue, 'Enable federation of an API type: create its FederatedTypeConfig and Federated<Kind> CRD')
            [CompletionResult]::new('disable', 'disable', [CompletionResultType]::ParameterValue, 'Disable federation of an API type: stop its propagation and delete its FederatedTypeConfig')
            [CompletionResult]::new('federate', 'federate', [CompletionResultType]::ParameterValue, 'Federate an object of the host cluster: create its Federated<Kind>, placed in every member cluster')
            [CompletionResult]::new('orphaning-deletion', 'orphaning-deletion', [CompletionResultType]::ParameterValue, 'Keep or delete member-cluster objects when a federated object is deleted')
            [CompletionResult]::new('reconcile', 'reconcile', [CompletionResultType]::ParameterValue, 'Propagate federated objects to member clusters (--once, or --watch until stopped)')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show where federated objects are propagated, one row per object × cluster')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'Show what the next reconcile would change in each member, as unified diffs')
            [CompletionResult]::new('sandbox', 'sandbox', [CompletionResultType]::ParameterValue, 'Local Kubernetes-API-compatible clusters for trying kubefedctl and for tests')
            [CompletionResult]::new('demo', 'demo', [CompletionResultType]::ParameterValue, 'Run the KubeFed quick start end to end on in-process sandbox clusters')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script to stdout')
            [CompletionResult]::new('version', 'version', [CompletionResultType]::ParameterValue, 'Print the version and git commit of kubefedctl')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kubefedctl;init' {
            [CompletionResult]::new('--scope', '--scope', [CompletionResultType]::ParameterName, 'Scope of the control plane: Cluster federates every namespace, Namespaced only the kubefed namespace [default: the installed control plane''s, else Cluster]. Immutable once installed')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Print every manifest in install order instead of installing (contacts no cluster)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Print every manifest in install order instead of installing (contacts no cluster)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, colon-separated and merged, else ~/.kube/config)')
            [CompletionResult]::new('--host-cluster-context', '--host-cluster-context', [CompletionResultType]::ParameterName, 'Kubeconfig context of the cluster hosting the control plane (default: the current context)')
            [CompletionResult]::new('--kubefed-namespace', '--kubefed-namespace', [CompletionResultType]::ParameterName, 'Namespace of the control plane')
            [CompletionResult]::new('--no-default-types', '--no-default-types', [CompletionResultType]::ParameterName, 'Install no federated type (enable types later with `kubefedctl enable`)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Send no write request; say what would be done')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more about what is happening (repeat for more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what is happening (repeat for more detail)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'kubefedctl;teardown' {
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, colon-separated and merged, else ~/.kube/config)')
            [CompletionResult]::new('--host-cluster-context', '--host-cluster-context', [CompletionResultType]::ParameterName, 'Kubeconfig context of the cluster hosting the control plane (default: the current context)')
            [CompletionResult]::new('--kubefed-namespace', '--kubefed-namespace', [CompletionResultType]::ParameterName, 'Namespace of the control plane')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (required when stdin is not a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (required when stdin is not a terminal)')
            [CompletionResult]::new('--orphan', '--orphan', [CompletionResultType]::ParameterName, 'Leave the objects the control plane propagated in the member clusters (annotate every federated object kubefed.io/orphan: "true" before deleting it)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more about what is happening (repeat for more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what is happening (repeat for more detail)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'kubefedctl;join' {
            [CompletionResult]::new('--cluster-context', '--cluster-context', [CompletionResultType]::ParameterName, 'Kubeconfig context of the member cluster [default: NAME]')
            [CompletionResult]::new('--host-cluster-name', '--host-cluster-name', [CompletionResultType]::ParameterName, 'Name of the host in the names created in the member, instead of the host context''s name (required when that contains '':'' or ''/'')')
            [CompletionResult]::new('--secret-name', '--secret-name', [CompletionResultType]::ParameterName, 'Name of the credentials Secret in the host [default: generated from NAME-]')
            [CompletionResult]::new('--error-on-existing', '--error-on-existing', [CompletionResultType]::ParameterName, 'Fail when any object of the registration already exists; with false, reuse and update them')
            [CompletionResult]::new('--label', '--label', [CompletionResultType]::ParameterName, 'Label of the KubeFedCluster, for clusterSelector placement (repeatable)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, colon-separated and merged, else ~/.kube/config)')
            [CompletionResult]::new('--host-cluster-context', '--host-cluster-context', [CompletionResultType]::ParameterName, 'Kubeconfig context of the cluster hosting the control plane (default: the current context)')
            [CompletionResult]::new('--kubefed-namespace', '--kubefed-namespace', [CompletionResultType]::ParameterName, 'Namespace of the control plane')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Send no write request; say what would be done')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more about what is happening (repeat for more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what is happening (repeat for more detail)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'kubefedctl;unjoin' {
            [CompletionResult]::new('--cluster-context', '--cluster-context', [CompletionResultType]::ParameterName, 'Kubeconfig context of the member cluster [default: NAME]')
            [CompletionResult]::new('--host-cluster-name', '--host-cluster-name', [CompletionResultType]::ParameterName, 'The --host-cluster-name the cluster was joined with')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, colon-separated and merged, else ~/.kube/config)')
            [CompletionResult]::new('--host-cluster-context', '--host-cluster-context', [CompletionResultType]::ParameterName, 'Kubeconfig context of the cluster hosting the control plane (default: the current context)')
            [CompletionResult]::new('--kubefed-namespace', '--kubefed-namespace', [CompletionResultType]::ParameterName, 'Namespace of the control plane')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Remove the registration from the host even if the member cannot be reached or cleaned up')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Send no write request; say what would be done')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more about what is happening (repeat for more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what is happening (repeat for more detail)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'kubefedctl;clusters' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, colon-separated and merged, else ~/.kube/config)')
            [CompletionResult]::new('--host-cluster-context', '--host-cluster-context', [CompletionResultType]::ParameterName, 'Kubeconfig context of the cluster hosting the control plane (default: the current context)')
            [CompletionResult]::new('--kubefed-namespace', '--kubefed-namespace', [CompletionResultType]::ParameterName, 'Namespace of the control plane')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more about what is happening (repeat for more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what is happening (repeat for more detail)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'kubefedctl;enable' {
            [CompletionResult]::new('--federated-group', '--federated-group', [CompletionResultType]::ParameterName, 'API group of the generated federated type')
            [CompletionResult]::new('--federated-version', '--federated-version', [CompletionResultType]::ParameterName, 'API version of the generated federated type')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Look TARGET up in this API version only (default: the version the server prefers)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Print the FederatedTypeConfig and the CRD as YAML instead of creating them (only `yaml`)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Print the FederatedTypeConfig and the CRD as YAML instead of creating them (only `yaml`)')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Read an EnableTypeDirective (apiVersion core.kubefed.io/v1beta1) instead of TARGET and flags')
            [CompletionResult]::new('--filename', '--filename', [CompletionResultType]::ParameterName, 'Read an EnableTypeDirective (apiVersion core.kubefed.io/v1beta1) instead of TARGET and flags')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, colon-separated and merged, else ~/.kube/config)')
            [CompletionResult]::new('--host-cluster-context', '--host-cluster-context', [CompletionResultType]::ParameterName, 'Kubeconfig context of the cluster hosting the control plane (default: the current context)')
            [CompletionResult]::new('--kubefed-namespace', '--kubefed-namespace', [CompletionResultType]::ParameterName, 'Namespace of the control plane')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Send no write request; say what would be done')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more about what is happening (repeat for more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what is happening (repeat for more detail)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'kubefedctl;disable' {
            [CompletionResult]::new('--federated-group', '--federated-group', [CompletionResultType]::ParameterName, 'API group of the federated type, to find its CRD when the FTC is already gone (with --delete-crd)')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Look NAME up in this API version only (with --delete-crd)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, colon-separated and merged, else ~/.kube/config)')
            [CompletionResult]::new('--host-cluster-context', '--host-cluster-context', [CompletionResultType]::ParameterName, 'Kubeconfig context of the cluster hosting the control plane (default: the current context)')
            [CompletionResult]::new('--kubefed-namespace', '--kubefed-namespace', [CompletionResultType]::ParameterName, 'Namespace of the control plane')
            [CompletionResult]::new('--delete-crd', '--delete-crd', [CompletionResultType]::ParameterName, 'Also delete the Federated<Kind> CRD (refused while federated objects of the type exist)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Send no write request; say what would be done')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more about what is happening (repeat for more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what is happening (repeat for more detail)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'kubefedctl;federate' {
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace of the object (default: the context''s namespace, else `default`; ignored for namespaces)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace of the object (default: the context''s namespace, else `default`; ignored for namespaces)')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'With --contents: types (any name the type lookup accepts) or API groups not to federate')
            [CompletionResult]::new('--skip-api-resources', '--skip-api-resources', [CompletionResultType]::ParameterName, 'With --contents: types (any name the type lookup accepts) or API groups not to federate')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Print the federated objects instead of creating them')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Print the federated objects instead of creating them')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Convert the objects of this multi-document YAML file (`-` for stdin) offline and print them')
            [CompletionResult]::new('--filename', '--filename', [CompletionResultType]::ParameterName, 'Convert the objects of this multi-document YAML file (`-` for stdin) offline and print them')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, colon-separated and merged, else ~/.kube/config)')
            [CompletionResult]::new('--host-cluster-context', '--host-cluster-context', [CompletionResultType]::ParameterName, 'Kubeconfig context of the cluster hosting the control plane (default: the current context)')
            [CompletionResult]::new('--kubefed-namespace', '--kubefed-namespace', [CompletionResultType]::ParameterName, 'Namespace of the control plane')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'With TYPE namespaces: also federate every namespaced object inside the namespace')
            [CompletionResult]::new('--contents', '--contents', [CompletionResultType]::ParameterName, 'With TYPE namespaces: also federate every namespaced object inside the namespace')
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 'Enable the type first (FederatedTypeConfig + CRD) when it is not enabled yet')
            [CompletionResult]::new('--enable-type', '--enable-type', [CompletionResultType]::ParameterName, 'Enable the type first (FederatedTypeConfig + CRD) when it is not enabled yet')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Send no write request; say what would be done')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more about what is happening (repeat for more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what is happening (repeat for more detail)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'kubefedctl;orphaning-deletion' {
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, colon-separated and merged, else ~/.kube/config)')
            [CompletionResult]::new('--host-cluster-context', '--host-cluster-context', [CompletionResultType]::ParameterName, 'Kubeconfig context of the cluster hosting the control plane (default: the current context)')
            [CompletionResult]::new('--kubefed-namespace', '--kubefed-namespace', [CompletionResultType]::ParameterName, 'Namespace of the control plane')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more about what is happening (repeat for more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what is happening (repeat for more detail)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('enable', 'enable', [CompletionResultType]::ParameterValue, 'Mark a federated object so that deleting it leaves its member-cluster objects in place')
            [CompletionResult]::new('disable', 'disable', [CompletionResultType]::ParameterValue, 'Delete member-cluster objects together with the federated object again (the default)')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Print whether deleting a federated object leaves its member-cluster objects in place')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kubefedctl;orphaning-deletion;enable' {
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace of the federated object (default: the context''s namespace, else `default`)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace of the federated object (default: the context''s namespace, else `default`)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, colon-separated and merged, else ~/.kube/config)')
            [CompletionResult]::new('--host-cluster-context', '--host-cluster-context', [CompletionResultType]::ParameterName, 'Kubeconfig context of the cluster hosting the control plane (default: the current context)')
            [CompletionResult]::new('--kubefed-namespace', '--kubefed-namespace', [CompletionResultType]::ParameterName, 'Namespace of the control plane')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Send no write request; say what would be done')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more about what is happening (repeat for more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what is happening (repeat for more detail)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'kubefedctl;orphaning-deletion;disable' {
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace of the federated object (default: the context''s namespace, else `default`)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace of the federated object (default: the context''s namespace, else `default`)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, colon-separated and merged, else ~/.kube/config)')
            [CompletionResult]::new('--host-cluster-context', '--host-cluster-context', [CompletionResultType]::ParameterName, 'Kubeconfig context of the cluster hosting the control plane (default: the current context)')
            [CompletionResult]::new('--kubefed-namespace', '--kubefed-namespace', [CompletionResultType]::ParameterName, 'Namespace of the control plane')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Send no write request; say what would be done')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more about what is happening (repeat for more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what is happening (repeat for more detail)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'kubefedctl;orphaning-deletion;status' {
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace of the federated object (default: the context''s namespace, else `default`)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace of the federated object (default: the context''s namespace, else `default`)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, colon-separated and merged, else ~/.kube/config)')
            [CompletionResult]::new('--host-cluster-context', '--host-cluster-context', [CompletionResultType]::ParameterName, 'Kubeconfig context of the cluster hosting the control plane (default: the current context)')
            [CompletionResult]::new('--kubefed-namespace', '--kubefed-namespace', [CompletionResultType]::ParameterName, 'Namespace of the control plane')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more about what is happening (repeat for more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what is happening (repeat for more detail)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'kubefedctl;orphaning-deletion;help' {
            [CompletionResult]::new('enable', 'enable', [CompletionResultType]::ParameterValue, 'Mark a federated object so that deleting it leaves its member-cluster objects in place')
            [CompletionResult]::new('disable', 'disable', [CompletionResultType]::ParameterValue, 'Delete member-cluster objects together with the federated object again (the default)')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Print whether deleting a federated object leaves its member-cluster objects in place')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kubefedctl;orphaning-deletion;help;enable' {
            break
        }
        'kubefedctl;orphaning-deletion;help;disable' {
            break
        }
        'kubefedctl;orphaning-deletion;help;status' {
            break
        }
        'kubefedctl;orphaning-deletion;help;help' {
            break
        }
        'kubefedctl;reconcile' {
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Only federated objects in this namespace (cluster-scoped types are skipped)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Only federated objects in this namespace (cluster-scoped types are skipped)')
            [CompletionResult]::new('--type', '--type', [CompletionResultType]::ParameterName, 'Only this type (FTC name such as deployments.apps, kind, or federated kind); repeatable')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Requests in flight at once to each cluster (a slow member never holds another''s)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long one request to a member may wait for its answer (e.g. 10s, 1m); a member that stops answering fails that pass (exit 3) instead of holding it')
            [CompletionResult]::new('--resync-period', '--resync-period', [CompletionResultType]::ParameterName, 'With --watch: full pass at least this often, besides reacting to changes (e.g. 30s, 5m)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the summary')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the summary')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, colon-separated and merged, else ~/.kube/config)')
            [CompletionResult]::new('--host-cluster-context', '--host-cluster-context', [CompletionResultType]::ParameterName, 'Kubeconfig context of the cluster hosting the control plane (default: the current context)')
            [CompletionResult]::new('--kubefed-namespace', '--kubefed-namespace', [CompletionResultType]::ParameterName, 'Namespace of the control plane')
            [CompletionResult]::new('--once', '--once', [CompletionResultType]::ParameterName, 'Run one pass and exit')
            [CompletionResult]::new('--watch', '--watch', [CompletionResultType]::ParameterName, 'Keep running, reacting to changes, until SIGINT or SIGTERM')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'Federated objects in every namespace (the default)')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'Federated objects in every namespace (the default)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Send no write request; say what would be done')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more about what is happening (repeat for more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what is happening (repeat for more detail)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'kubefedctl;status' {
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace (default: the host context''s namespace)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace (default: the host context''s namespace)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, colon-separated and merged, else ~/.kube/config)')
            [CompletionResult]::new('--host-cluster-context', '--host-cluster-context', [CompletionResultType]::ParameterName, 'Kubeconfig context of the cluster hosting the control plane (default: the current context)')
            [CompletionResult]::new('--kubefed-namespace', '--kubefed-namespace', [CompletionResultType]::ParameterName, 'Namespace of the control plane')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'Every namespace')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'Every namespace')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more about what is happening (repeat for more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what is happening (repeat for more detail)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'kubefedctl;diff' {
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace of the federated objects (default: every namespace)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace of the federated objects (default: every namespace)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, colon-separated and merged, else ~/.kube/config)')
            [CompletionResult]::new('--host-cluster-context', '--host-cluster-context', [CompletionResultType]::ParameterName, 'Kubeconfig context of the cluster hosting the control plane (default: the current context)')
            [CompletionResult]::new('--kubefed-namespace', '--kubefed-namespace', [CompletionResultType]::ParameterName, 'Namespace of the control plane')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'Every namespace (the default)')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'Every namespace (the default)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more about what is happening (repeat for more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what is happening (repeat for more detail)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'kubefedctl;sandbox' {
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, colon-separated and merged, else ~/.kube/config)')
            [CompletionResult]::new('--host-cluster-context', '--host-cluster-context', [CompletionResultType]::ParameterName, 'Kubeconfig context of the cluster hosting the control plane (default: the current context)')
            [CompletionResult]::new('--kubefed-namespace', '--kubefed-namespace', [CompletionResultType]::ParameterName, 'Namespace of the control plane')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more about what is happening (repeat for more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what is happening (repeat for more detail)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('up', 'up', [CompletionResultType]::ParameterValue, 'Serve clusters on 127.0.0.1 until interrupted, and write a kubeconfig for them')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kubefedctl;sandbox;up' {
            [CompletionResult]::new('--clusters', '--clusters', [CompletionResultType]::ParameterName, 'Cluster names, comma-separated (each a DNS-1123 label)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Keep state under DIR/<cluster> so it survives restarts (default: in memory)')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'Port of the first cluster; the others take the following ports (default: free ports)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, colon-separated and merged, else ~/.kube/config)')
            [CompletionResult]::new('--host-cluster-context', '--host-cluster-context', [CompletionResultType]::ParameterName, 'Kubeconfig context of the cluster hosting the control plane (default: the current context)')
            [CompletionResult]::new('--kubefed-namespace', '--kubefed-namespace', [CompletionResultType]::ParameterName, 'Namespace of the control plane')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more about what is happening (repeat for more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what is happening (repeat for more detail)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'kubefedctl;sandbox;help' {
            [CompletionResult]::new('up', 'up', [CompletionResultType]::ParameterValue, 'Serve clusters on 127.0.0.1 until interrupted, and write a kubeconfig for them')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kubefedctl;sandbox;help;up' {
            break
        }
        'kubefedctl;sandbox;help;help' {
            break
        }
        'kubefedctl;demo' {
            [CompletionResult]::new('--kubeconfig-out', '--kubeconfig-out', [CompletionResultType]::ParameterName, 'With --keep: where to write the kubeconfig')
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Clusters to run on: sandbox (in-process), real (kube-apiserver, newest built) or real:VERSION')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, colon-separated and merged, else ~/.kube/config)')
            [CompletionResult]::new('--host-cluster-context', '--host-cluster-context', [CompletionResultType]::ParameterName, 'Kubeconfig context of the cluster hosting the control plane (default: the current context)')
            [CompletionResult]::new('--kubefed-namespace', '--kubefed-namespace', [CompletionResultType]::ParameterName, 'Namespace of the control plane')
            [CompletionResult]::new('--keep', '--keep', [CompletionResultType]::ParameterName, 'Keep the sandbox clusters running after the demo (until Ctrl-C) and write a kubeconfig for them')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more about what is happening (repeat for more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what is happening (repeat for more detail)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'kubefedctl;completions' {
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, colon-separated and merged, else ~/.kube/config)')
            [CompletionResult]::new('--host-cluster-context', '--host-cluster-context', [CompletionResultType]::ParameterName, 'Kubeconfig context of the cluster hosting the control plane (default: the current context)')
            [CompletionResult]::new('--kubefed-namespace', '--kubefed-namespace', [CompletionResultType]::ParameterName, 'Namespace of the control plane')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more about what is happening (repeat for more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what is happening (repeat for more detail)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'kubefedctl;version' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Print the version as a JSON or YAML object instead of a line')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Print the version as a JSON or YAML object instead of a line')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (default: $KUBECONFIG, colon-separated and merged, else ~/.kube/config)')
            [CompletionResult]::new('--host-cluster-context', '--host-cluster-context', [CompletionResultType]::ParameterName, 'Kubeconfig context of the cluster hosting the control plane (default: the current context)')
            [CompletionResult]::new('--kubefed-namespace', '--kubefed-namespace', [CompletionResultType]::ParameterName, 'Namespace of the control plane')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more about what is happening (repeat for more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what is happening (repeat for more detail)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'kubefedctl;help' {
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Install the control plane into the host cluster (or print its manifests)')
            [CompletionResult]::new('teardown', 'teardown', [CompletionResultType]::ParameterValue, 'Remove the control plane from the host cluster')
            [CompletionResult]::new('join', 'join', [CompletionResultType]::ParameterValue, 'Register a member cluster with the control plane')
            [CompletionResult]::new('unjoin', 'unjoin', [CompletionResultType]::ParameterValue, 'Remove a member cluster from the control plane')
            [CompletionResult]::new('clusters', 'clusters', [CompletionResultType]::ParameterValue, 'List member clusters, checking their health now')
            [CompletionResult]::new('enable', 'enable', [CompletionResultType]::ParameterValue, 'Enable federation of an API type: create its FederatedTypeConfig and Federated<Kind> CRD')
            [CompletionResult]::new('disable', 'disable', [CompletionResultType]::ParameterValue, 'Disable federation of an API type: stop its propagation and delete its FederatedTypeConfig')
            [CompletionResult]::new('federate', 'federate', [CompletionResultType]::ParameterValue, 'Federate an object of the host cluster: create its Federated<Kind>, placed in every member cluster')
            [CompletionResult]::new('orphaning-deletion', 'orphaning-deletion', [CompletionResultType]::ParameterValue, 'Keep or delete member-cluster objects when a federated object is deleted')
            [CompletionResult]::new('reconcile', 'reconcile', [CompletionResultType]::ParameterValue, 'Propagate federated objects to member clusters (--once, or --watch until stopped)')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show where federated objects are propagated, one row per object × cluster')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'Show what the next reconcile would change in each member, as unified diffs')
            [CompletionResult]::new('sandbox', 'sandbox', [CompletionResultType]::ParameterValue, 'Local Kubernetes-API-compatible clusters for trying kubefedctl and for tests')
            [CompletionResult]::new('demo', 'demo', [CompletionResultType]::ParameterValue, 'Run the KubeFed quick start end to end on in-process sandbox clusters')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script to stdout')
            [CompletionResult]::new('version', 'version', [CompletionResultType]::ParameterValue, 'Print the version and git commit of kubefedctl')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kubefedctl;help;init' {
            break
        }
        'kubefedctl;help;teardown' {
            break
        }
        'kubefedctl;help;join' {
            break
        }
        'kubefedctl;help;unjoin' {
            break
        }
        'kubefedctl;help;clusters' {
            break
        }
        'kubefedctl;help;enable' {
            break
        }
        'kubefedctl;help;disable' {
            break
        }
        'kubefedctl;help;federate' {
            break
        }
        'kubefedctl;help;orphaning-deletion' {
            [CompletionResult]::new('enable', 'enable', [CompletionResultType]::ParameterValue, 'Mark a federated object so that deleting it leaves its member-cluster objects in place')
            [CompletionResult]::new('disable', 'disable', [CompletionResultType]::ParameterValue, 'Delete member-cluster objects together with the federated object again (the default)')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Print whether deleting a federated object leaves its member-cluster objects in place')
            break
        }
        'kubefedctl;help;orphaning-deletion;enable' {
            break
        }
        'kubefedctl;help;orphaning-deletion;disable' {
            break
        }
        'kubefedctl;help;orphaning-deletion;status' {
            break
        }
        'kubefedctl;help;reconcile' {
            break
        }
        'kubefedctl;help;status' {
            break
        }
        'kubefedctl;help;diff' {
            break
        }
        'kubefedctl;help;sandbox' {
            [CompletionResult]::new('up', 'up', [CompletionResultType]::ParameterValue, 'Serve clusters on 127.0.0.1 until interrupted, and write a kubeconfig for them')
            break
        }
        'kubefedctl;help;sandbox;up' {
            break
        }
        'kubefedctl;help;demo' {
            break
        }
        'kubefedctl;help;completions' {
            break
        }
        'kubefedctl;help;version' {
            break
        }
        'kubefedctl;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
