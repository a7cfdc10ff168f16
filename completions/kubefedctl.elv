
use builtin;
use str;

set edit:completion:arg-completer[kubefedctl] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'kubefedctl'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'kubefedctl'= {
            cand --kubeconfig 'Path to the kubeconfig file (default: $KUBECONFIG, colon-separated and merged, else ~/.kube/config)'
            cand --host-cluster-context 'Kubeconfig context of the cluster hosting the control plane (default: the current context)'
            cand --kubefed-namespace 'Namespace of the control plane'
            cand -v 'Say more about what is happening (repeat for more detail)'
            cand --verbose 'Say more about what is happening (repeat for more detail)'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand init 'Install the control plane into the host cluster (or print its manifests)'
            cand teardown 'Remove the control plane from the host cluster'
            cand join 'Register a member cluster with the control plane'
            cand unjoin 'Remove a member cluster from the control plane'
            cand clusters 'List member clusters, checking their health now'
            cand enable 'Enable federation of an API type: create its FederatedTypeConfig and Federated<Kind> CRD'
            cand disable 'Disable federation of an API type: stop its propagation and delete its FederatedTypeConfig'
            cand federate 'Federate an object of the host cluster: create its Federated<Kind>, placed in every member cluster'
            cand orphaning-deletion 'Keep or delete member-cluster objects when a federated object is deleted'
            cand reconcile 'Propagate federated objects to member clusters (--once, or --watch until stopped)'
            cand status 'Show where federated objects are propagated, one row per object × cluster'
            cand diff 'Show what the next reconcile would change in each member, as unified diffs'
            cand sandbox 'Local Kubernetes-API-compatible clusters for trying kubefedctl and for tests'
            cand demo 'Run the KubeFed quick start end to end on in-process sandbox clusters'
            cand completions 'Print a shell completion script to stdout'
            cand version 'Print the version and git commit of kubefedctl'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'kubefedctl;init'= {
            cand --scope 'Scope of the control plane: Cluster federates every namespace, Namespaced only the kubefed namespace [default: the installed control plane''s, else Cluster]. Immutable once installed'
            cand -o 'Print every manifest in install order instead of installing (contacts no cluster)'
            cand --output 'Print every manifest in install order instead of installing (contacts no cluster)'
            cand --kubeconfig 'Path to the kubeconfig file (default: $KUBECONFIG, colon-separated and merged, else ~/.kube/config)'
            cand --host-cluster-context 'Kubeconfig context of the cluster hosting the control plane (default: the current context)'
            cand --kubefed-namespace 'Namespace of the control plane'
            cand --no-default-types 'Install no federated type (enable types later with `kubefedctl enable`)'
            cand --dry-run 'Send no write request; say what would be done'
            cand -v 'Say more about what is happening (repeat for more detail)'
            cand --verbose 'Say more about what is happening (repeat for more detail)'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'kubefedctl;teardown'= {
            cand --kubeconfig 'Path to the kubeconfig file (default: $KUBECONFIG, colon-separated and merged, else ~/.kube/config)'
            cand --host-cluster-context 'Kubeconfig context of the cluster hosting the control plane (default: the current context)'
            cand --kubefed-namespace 'Namespace of the control plane'
            cand -y 'Do not ask for confirmation (required when stdin is not a terminal)'
            cand --yes 'Do not ask for confirmation (required when stdin is not a terminal)'
            cand --orphan 'Leave the objects the control plane propagated in the member clusters (annotate every federated object kubefed.io/orphan: "true" before deleting it)'
            cand -v 'Say more about what is happening (repeat for more detail)'
            cand --verbose 'Say more about what is happening (repeat for more detail)'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'kubefedctl;join'= {
            cand --cluster-context 'Kubeconfig context of the member cluster [default: NAME]'
            cand --host-cluster-name 'Name of the host in the names created in the member, instead of the host context''s name (required when that contains '':'' or ''/'')'
            cand --secret-name 'Name of the credentials Secret in the host [default: generated from NAME-]'
            cand --error-on-existing 'Fail when any object of the registration already exists; with false, reuse and update them'
            cand --label 'Label of the KubeFedCluster, for clusterSelector placement (repeatable)'
            cand --kubeconfig 'Path to the kubeconfig file (default: $KUBECONFIG, colon-separated and merged, else ~/.kube/config)'
            cand --host-cluster-context 'Kubeconfig context of the cluster hosting the control plane (default: the current context)'
            cand --kubefed-namespace 'Namespace of the control plane'
            cand --dry-run 'Send no write request; say what would be done'
            cand -v 'Say more about what is happening (repeat for more detail)'
            cand --verbose 'Say more about what is happening (repeat for more detail)'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'kubefedctl;unjoin'= {
            cand --cluster-context 'Kubeconfig context of the member cluster [default: NAME]'
            cand --host-cluster-name 'The --host-cluster-name the cluster was joined with'
            cand --kubeconfig 'Path to the kubeconfig file (default: $KUBECONFIG, colon-separated and merged, else ~/.kube/config)'
            cand --host-cluster-context 'Kubeconfig context of the cluster hosting the control plane (default: the current context)'
            cand --kubefed-namespace 'Namespace of the control plane'
            cand --force 'Remove the registration from the host even if the member cannot be reached or cleaned up'
            cand --dry-run 'Send no write request; say what would be done'
            cand -v 'Say more about what is happening (repeat for more detail)'
            cand --verbose 'Say more about what is happening (repeat for more detail)'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'kubefedctl;clusters'= {
            cand -o 'Output format'
            cand --output 'Output format'
            cand --kubeconfig 'Path to the kubeconfig file (default: $KUBECONFIG, colon-separated and merged, else ~/.kube/config)'
            cand --host-cluster-context 'Kubeconfig context of the cluster hosting the control plane (default: the current context)'
            cand --kubefed-namespace 'Namespace of the control plane'
            cand -v 'Say more about what is happening (repeat for more detail)'
            cand --verbose 'Say more about what is happening (repeat for more detail)'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'kubefedctl;enable'= {
            cand --federated-group 'API group of the generated federated type'
            cand --federated-version 'API version of the generated federated type'
            cand --version 'Look TARGET up in this API version only (default: the version the server prefers)'
            cand -o 'Print the FederatedTypeConfig and the CRD as YAML instead of creating them (only `yaml`)'
            cand --output 'Print the FederatedTypeConfig and the CRD as YAML instead of creating them (only `yaml`)'
            cand -f 'Read an EnableTypeDirective (apiVersion core.kubefed.io/v1beta1) instead of TARGET and flags'
            cand --filename 'Read an EnableTypeDirective (apiVersion core.kubefed.io/v1beta1) instead of TARGET and flags'
            cand --kubeconfig 'Path to the kubeconfig file (default: $KUBECONFIG, colon-separated and merged, else ~/.kube/config)'
            cand --host-cluster-context 'Kubeconfig context of the cluster hosting the control plane (default: the current context)'
            cand --kubefed-namespace 'Namespace of the control plane'
            cand --dry-run 'Send no write request; say what would be done'
            cand -v 'Say more about what is happening (repeat for more detail)'
            cand --verbose 'Say more about what is happening (repeat for more detail)'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'kubefedctl;disable'= {
            cand --federated-group 'API group of the federated type, to find its CRD when the FTC is already gone (with --delete-crd)'
            cand --version 'Look NAME up in this API version only (with --delete-crd)'
            cand --kubeconfig 'Path to the kubeconfig file (default: $KUBECONFIG, colon-separated and merged, else ~/.kube/config)'
            cand --host-cluster-context 'Kubeconfig context of the cluster hosting the control plane (default: the current context)'
            cand --kubefed-namespace 'Namespace of the control plane'
            cand --delete-crd 'Also delete the Federated<Kind> CRD (refused while federated objects of the type exist)'
            cand --dry-run 'Send no write request; say what would be done'
            cand -v 'Say more about what is happening (repeat for more detail)'
            cand --verbose 'Say more about what is happening (repeat for more detail)'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'kubefedctl;federate'= {
            cand -n 'Namespace of the object (default: the context''s namespace, else `default`; ignored for namespaces)'
            cand --namespace 'Namespace of the object (default: the context''s namespace, else `default`; ignored for namespaces)'
            cand -s 'With --contents: types (any name the type lookup accepts) or API groups not to federate'
            cand --skip-api-resources 'With --contents: types (any name the type lookup accepts) or API groups not to federate'
            cand -o 'Print the federated objects instead of creating them'
            cand --output 'Print the federated objects instead of creating them'
            cand -f 'Convert the objects of this multi-document YAML file (`-` for stdin) offline and print them'
            cand --filename 'Convert the objects of this multi-document YAML file (`-` for stdin) offline and print them'
            cand --kubeconfig 'Path to the kubeconfig file (default: $KUBECONFIG, colon-separated and merged, else ~/.kube/config)'
            cand --host-cluster-context 'Kubeconfig context of the cluster hosting the control plane (default: the current context)'
            cand --kubefed-namespace 'Namespace of the control plane'
            cand -c 'With TYPE namespaces: also federate every namespaced object inside the namespace'
            cand --contents 'With TYPE namespaces: also federate every namespaced object inside the namespace'
            cand -t 'Enable the type first (FederatedTypeConfig + CRD) when it is not enabled yet'
            cand --enable-type 'Enable the type first (FederatedTypeConfig + CRD) when it is not enabled yet'
            cand --dry-run 'Send no write request; say what would be done'
            cand -v 'Say more about what is happening (repeat for more detail)'
            cand --verbose 'Say more about what is happening (repeat for more detail)'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'kubefedctl;orphaning-deletion'= {
            cand --kubeconfig 'Path to the kubeconfig file (default: $KUBECONFIG, colon-separated and merged, else ~/.kube/config)'
            cand --host-cluster-context 'Kubeconfig context of the cluster hosting the control plane (default: the current context)'
            cand --kubefed-namespace 'Namespace of the control plane'
            cand -v 'Say more about what is happening (repeat for more detail)'
            cand --verbose 'Say more about what is happening (repeat for more detail)'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -h 'Print help'
            cand --help 'Print help'
            cand enable 'Mark a federated object so that deleting it leaves its member-cluster objects in place'
            cand disable 'Delete member-cluster objects together with the federated object again (the default)'
            cand status 'Print whether deleting a federated object leaves its member-cluster objects in place'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'kubefedctl;orphaning-deletion;enable'= {
            cand -n 'Namespace of the federated object (default: the context''s namespace, else `default`)'
            cand --namespace 'Namespace of the federated object (default: the context''s namespace, else `default`)'
            cand --kubeconfig 'Path to the kubeconfig file (default: $KUBECONFIG, colon-separated and merged, else ~/.kube/config)'
            cand --host-cluster-context 'Kubeconfig context of the cluster hosting the control plane (default: the current context)'
            cand --kubefed-namespace 'Namespace of the control plane'
            cand --dry-run 'Send no write request; say what would be done'
            cand -v 'Say more about what is happening (repeat for more detail)'
            cand --verbose 'Say more about what is happening (repeat for more detail)'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'kubefedctl;orphaning-deletion;disable'= {
            cand -n 'Namespace of the federated object (default: the context''s namespace, else `default`)'
            cand --namespace 'Namespace of the federated object (default: the context''s namespace, else `default`)'
            cand --kubeconfig 'Path to the kubeconfig file (default: $KUBECONFIG, colon-separated and merged, else ~/.kube/config)'
            cand --host-cluster-context 'Kubeconfig context of the cluster hosting the control plane (default: the current context)'
            cand --kubefed-namespace 'Namespace of the control plane'
            cand --dry-run 'Send no write request; say what would be done'
            cand -v 'Say more about what is happening (repeat for more detail)'
            cand --verbose 'Say more about what is happening (repeat for more detail)'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'kubefedctl;orphaning-deletion;status'= {
            cand -n 'Namespace of the federated object (default: the context''s namespace, else `default`)'
            cand --namespace 'Namespace of the federated object (default: the context''s namespace, else `default`)'
            cand --kubeconfig 'Path to the kubeconfig file (default: $KUBECONFIG, colon-separated and merged, else ~/.kube/config)'
            cand --host-cluster-context 'Kubeconfig context of the cluster hosting the control plane (default: the current context)'
            cand --kubefed-namespace 'Namespace of the control plane'
            cand -v 'Say more about what is happening (repeat for more detail)'
            cand --verbose 'Say more about what is happening (repeat for more detail)'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'kubefedctl;orphaning-deletion;help'= {
            cand enable 'Mark a federated object so that deleting it leaves its member-cluster objects in place'
            cand disable 'Delete member-cluster objects together with the federated object again (the default)'
            cand status 'Print whether deleting a federated object leaves its member-cluster objects in place'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'kubefedctl;orphaning-deletion;help;enable'= {
        }
        &'kubefedctl;orphaning-deletion;help;disable'= {
        }
        &'kubefedctl;orphaning-deletion;help;status'= {
        }
        &'kubefedctl;orphaning-deletion;help;help'= {
        }
        &'kubefedctl;reconcile'= {
            cand -n 'Only federated objects in this namespace (cluster-scoped types are skipped)'
            cand --namespace 'Only federated objects in this namespace (cluster-scoped types are skipped)'
            cand --type 'Only this type (FTC name such as deployments.apps, kind, or federated kind); repeatable'
            cand --concurrency 'Requests in flight at once to each cluster (a slow member never holds another''s)'
            cand --request-timeout 'How long one request to a member may wait for its answer (e.g. 10s, 1m); a member that stops answering fails that pass (exit 3) instead of holding it'
            cand --resync-period 'With --watch: full pass at least this often, besides reacting to changes (e.g. 30s, 5m)'
            cand -o 'Output format of the summary'
            cand --output 'Output format of the summary'
            cand --kubeconfig 'Path to the kubeconfig file (default: $KUBECONFIG, colon-separated and merged, else ~/.kube/config)'
            cand --host-cluster-context 'Kubeconfig context of the cluster hosting the control plane (default: the current context)'
            cand --kubefed-namespace 'Namespace of the control plane'
            cand --once 'Run one pass and exit'
            cand --watch 'Keep running, reacting to changes, until SIGINT or SIGTERM'
            cand -A 'Federated objects in every namespace (the default)'
            cand --all-namespaces 'Federated objects in every namespace (the default)'
            cand --dry-run 'Send no write request; say what would be done'
            cand -v 'Say more about what is happening (repeat for more detail)'
            cand --verbose 'Say more about what is happening (repeat for more detail)'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'kubefedctl;status'= {
            cand -n 'Namespace (default: the host context''s namespace)'
            cand --namespace 'Namespace (default: the host context''s namespace)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --kubeconfig 'Path to the kubeconfig file (default: $KUBECONFIG, colon-separated and merged, else ~/.kube/config)'
            cand --host-cluster-context 'Kubeconfig context of the cluster hosting the control plane (default: the current context)'
            cand --kubefed-namespace 'Namespace of the control plane'
            cand -A 'Every namespace'
            cand --all-namespaces 'Every namespace'
            cand -v 'Say more about what is happening (repeat for more detail)'
            cand --verbose 'Say more about what is happening (repeat for more detail)'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'kubefedctl;diff'= {
            cand -n 'Namespace of the federated objects (default: every namespace)'
            cand --namespace 'Namespace of the federated objects (default: every namespace)'
            cand --kubeconfig 'Path to the kubeconfig file (default: $KUBECONFIG, colon-separated and merged, else ~/.kube/config)'
            cand --host-cluster-context 'Kubeconfig context of the cluster hosting the control plane (default: the current context)'
            cand --kubefed-namespace 'Namespace of the control plane'
            cand -A 'Every namespace (the default)'
            cand --all-namespaces 'Every namespace (the default)'
            cand -v 'Say more about what is happening (repeat for more detail)'
            cand --verbose 'Say more about what is happening (repeat for more detail)'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'kubefedctl;sandbox'= {
            cand --kubeconfig 'Path to the kubeconfig file (default: $KUBECONFIG, colon-separated and merged, else ~/.kube/config)'
            cand --host-cluster-context 'Kubeconfig context of the cluster hosting the control plane (default: the current context)'
            cand --kubefed-namespace 'Namespace of the control plane'
            cand -v 'Say more about what is happening (repeat for more detail)'
            cand --verbose 'Say more about what is happening (repeat for more detail)'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -h 'Print help'
            cand --help 'Print help'
            cand up 'Serve clusters on 127.0.0.1 until interrupted, and write a kubeconfig for them'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'kubefedctl;sandbox;up'= {
            cand --clusters 'Cluster names, comma-separated (each a DNS-1123 label)'
            cand --data-dir 'Keep state under DIR/<cluster> so it survives restarts (default: in memory)'
            cand --port 'Port of the first cluster; the others take the following ports (default: free ports)'
            cand --kubeconfig 'Path to the kubeconfig file (default: $KUBECONFIG, colon-separated and merged, else ~/.kube/config)'
            cand --host-cluster-context 'Kubeconfig context of the cluster hosting the control plane (default: the current context)'
            cand --kubefed-namespace 'Namespace of the control plane'
            cand -v 'Say more about what is happening (repeat for more detail)'
            cand --verbose 'Say more about what is happening (repeat for more detail)'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'kubefedctl;sandbox;help'= {
            cand up 'Serve clusters on 127.0.0.1 until interrupted, and write a kubeconfig for them'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'kubefedctl;sandbox;help;up'= {
        }
        &'kubefedctl;sandbox;help;help'= {
        }
        &'kubefedctl;demo'= {
            cand --kubeconfig-out 'With --keep: where to write the kubeconfig'
            cand --backend 'Clusters to run on: sandbox (in-process), real (kube-apiserver, newest built) or real:VERSION'
            cand --kubeconfig 'Path to the kubeconfig file (default: $KUBECONFIG, colon-separated and merged, else ~/.kube/config)'
            cand --host-cluster-context 'Kubeconfig context of the cluster hosting the control plane (default: the current context)'
            cand --kubefed-namespace 'Namespace of the control plane'
            cand --keep 'Keep the sandbox clusters running after the demo (until Ctrl-C) and write a kubeconfig for them'
            cand -v 'Say more about what is happening (repeat for more detail)'
            cand --verbose 'Say more about what is happening (repeat for more detail)'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'kubefedctl;completions'= {
            cand --kubeconfig 'Path to the kubeconfig file (default: $KUBECONFIG, colon-separated and merged, else ~/.kube/config)'
            cand --host-cluster-context 'Kubeconfig context of the cluster hosting the control plane (default: the current context)'
            cand --kubefed-namespace 'Namespace of the control plane'
            cand -v 'Say more about what is happening (repeat for more detail)'
            cand --verbose 'Say more about what is happening (repeat for more detail)'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'kubefedctl;version'= {
            cand -o 'Print the version as a JSON or YAML object instead of a line'
            cand --output 'Print the version as a JSON or YAML object instead of a line'
            cand --kubeconfig 'Path to the kubeconfig file (default: $KUBECONFIG, colon-separated and merged, else ~/.kube/config)'
            cand --host-cluster-context 'Kubeconfig context of the cluster hosting the control plane (default: the current context)'
            cand --kubefed-namespace 'Namespace of the control plane'
            cand -v 'Say more about what is happening (repeat for more detail)'
            cand --verbose 'Say more about what is happening (repeat for more detail)'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'kubefedctl;help'= {
            cand init 'Install the control plane into the host cluster (or print its manifests)'
            cand teardown 'Remove the control plane from the host cluster'
            cand join 'Register a member cluster with the control plane'
            cand unjoin 'Remove a member cluster from the control plane'
            cand clusters 'List member clusters, checking their health now'
            cand enable 'Enable federation of an API type: create its FederatedTypeConfig and Federated<Kind> CRD'
            cand disable 'Disable federation of an API type: stop its propagation and delete its FederatedTypeConfig'
            cand federate 'Federate an object of the host cluster: create its Federated<Kind>, placed in every member cluster'
            cand orphaning-deletion 'Keep or delete member-cluster objects when a federated object is deleted'
            cand reconcile 'Propagate federated objects to member clusters (--once, or --watch until stopped)'
            cand status 'Show where federated objects are propagated, one row per object × cluster'
            cand diff 'Show what the next reconcile would change in each member, as unified diffs'
            cand sandbox 'Local Kubernetes-API-compatible clusters for trying kubefedctl and for tests'
            cand demo 'Run the KubeFed quick start end to end on in-process sandbox clusters'
            cand completions 'Print a shell completion script to stdout'
            cand version 'Print the version and git commit of kubefedctl'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'kubefedctl;help;init'= {
        }
        &'kubefedctl;help;teardown'= {
        }
        &'kubefedctl;help;join'= {
        }
        &'kubefedctl;help;unjoin'= {
        }
        &'kubefedctl;help;clusters'= {
        }
        &'kubefedctl;help;enable'= {
        }
        &'kubefedctl;help;disable'= {
        }
        &'kubefedctl;help;federate'= {
        }
        &'kubefedctl;help;orphaning-deletion'= {
            cand enable 'Mark a federated object so that deleting it leaves its member-cluster objects in place'
            cand disable 'Delete member-cluster objects together with the federated object again (the default)'
            cand status 'Print whether deleting a federated object leaves its member-cluster objects in place'
        }
        &'kubefedctl;help;orphaning-deletion;enable'= {
        }
        &'kubefedctl;help;orphaning-deletion;disable'= {
        }
        &'kubefedctl;help;orphaning-deletion;status'= {
        }
        &'kubefedctl;help;reconcile'= {
        }
        &'kubefedctl;help;status'= {
        }
        &'kubefedctl;help;diff'= {
        }
        &'kubefedctl;help;sandbox'= {
            cand up 'Serve clusters on 127.0.0.1 until interrupted, and write a kubeconfig for them'
        }
        &'kubefedctl;help;sandbox;up'= {
        }
        &'kubefedctl;help;demo'= {
        }
        &'kubefedctl;help;completions'= {
        }
        &'kubefedctl;help;version'= {
        }
        &'kubefedctl;help;help'= {
        }
    ]
    $completions[$command]
}
