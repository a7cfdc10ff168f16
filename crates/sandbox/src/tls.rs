//! Certificates of a sandbox cluster: a CA per cluster and a serving certificate with the SANs real clients
//! verify (IP 127.0.0.1 and ::1, localhost, kubernetes.default.svc…), as rustls, Go and OpenSSL all accept.

use std::sync::Arc;

use anyhow::{Context, Result};
use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa,
    Issuer, KeyPair, KeyUsagePurpose, SanType,
};

/// A cluster's TLS material: the CA PEM clients trust and the server config that serves the leaf.
pub struct ClusterTls {
    pub ca_pem: String,
    pub server_config: Arc<rustls::ServerConfig>,
    /// PEM of the serving certificate and its PKCS#8 key (kept so a persistent sandbox keeps its identity).
    pub leaf_pem: String,
    pub leaf_key_pem: String,
}

/// Builds the serving config from PEM material (serving cert, CA cert, key).
pub fn from_pem(ca_pem: &str, leaf_pem: &str, leaf_key_pem: &str) -> Result<ClusterTls> {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    install_crypto_provider();
    let leaf =
        CertificateDer::from_pem_slice(leaf_pem.as_bytes()).context("serving certificate PEM")?;
    let ca = CertificateDer::from_pem_slice(ca_pem.as_bytes()).context("CA certificate PEM")?;
    let key = PrivateKeyDer::from_pem_slice(leaf_key_pem.as_bytes()).context("serving key PEM")?;
    Ok(ClusterTls {
        ca_pem: ca_pem.to_string(),
        server_config: server_config(vec![leaf, ca], key)?,
        leaf_pem: leaf_pem.to_string(),
        leaf_key_pem: leaf_key_pem.to_string(),
    })
}

fn server_config(
    chain: Vec<rustls::pki_types::CertificateDer<'static>>,
    key: rustls::pki_types::PrivateKeyDer<'static>,
) -> Result<Arc<rustls::ServerConfig>> {
    let mut config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .context("TLS protocol versions")?
    .with_no_client_auth()
    .with_single_cert(chain, key)
    .context("serving certificate")?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

fn validity(params: &mut CertificateParams) {
    let now = jiff::Timestamp::now();
    let year = now.to_zoned(jiff::tz::TimeZone::UTC).year() as i32;
    params.not_before = rcgen::date_time_ymd(year - 1, 1, 1);
    params.not_after = rcgen::date_time_ymd(year + 10, 1, 1);
}

/// Installs the ring crypto provider for rustls once per process (both kube and the sandbox use rustls).
pub fn install_crypto_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// Generates a CA and a serving certificate for `cluster` and builds the rustls server config (HTTP/1.1 only).
pub fn generate(cluster: &str) -> Result<ClusterTls> {
    install_crypto_provider();
    let ca_key = KeyPair::generate().context("generating CA key")?;
    let mut ca_params = CertificateParams::default();
    let mut dn = DistinguishedName::new();
    dn.push(
        DnType::CommonName,
        format!("kubefedctl-sandbox-ca-{cluster}"),
    );
    ca_params.distinguished_name = dn;
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    validity(&mut ca_params);
    let ca_cert = ca_params.self_signed(&ca_key).context("self-signing CA")?;
    let issuer = Issuer::new(ca_params, ca_key);

    let leaf_key = KeyPair::generate().context("generating serving key")?;
    let mut leaf = CertificateParams::default();
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, "kube-apiserver");
    leaf.distinguished_name = dn;
    leaf.subject_alt_names = vec![
        SanType::IpAddress("127.0.0.1".parse().expect("ip")),
        SanType::IpAddress("::1".parse().expect("ip")),
        SanType::DnsName("localhost".try_into().context("san")?),
        SanType::DnsName("kubernetes".try_into().context("san")?),
        SanType::DnsName("kubernetes.default".try_into().context("san")?),
        SanType::DnsName("kubernetes.default.svc".try_into().context("san")?),
    ];
    leaf.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    leaf.key_usages = vec![
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::KeyEncipherment,
    ];
    leaf.use_authority_key_identifier_extension = true;
    validity(&mut leaf);
    let leaf_cert = leaf
        .signed_by(&leaf_key, &issuer)
        .context("signing serving certificate")?;

    let chain = vec![leaf_cert.der().clone(), ca_cert.der().clone()];
    let key = rustls::pki_types::PrivateKeyDer::Pkcs8(leaf_key.serialize_der().into());
    Ok(ClusterTls {
        ca_pem: ca_cert.pem(),
        server_config: server_config(chain, key)?,
        leaf_pem: leaf_cert.pem(),
        leaf_key_pem: leaf_key.serialize_pem(),
    })
}
