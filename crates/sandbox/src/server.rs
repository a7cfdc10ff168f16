//! HTTPS serving of one sandbox cluster: a tokio-rustls accept loop feeding hyper HTTP/1.1 connections.

use std::convert::Infallible;
use std::sync::Arc;

use bytes::Bytes;
use futures::StreamExt;
use http::{HeaderValue, Request, Response};
use http_body_util::{combinators::BoxBody, BodyExt, Full, StreamBody};
use hyper::body::{Frame, Incoming as HyperBody};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinSet;
use tokio_rustls::TlsAcceptor;

use super::api::{self, Incoming, Reply, MAX_REQUEST_BODY_BYTES};
use super::cluster::{Cluster, RequestLabels};
use super::request::Query;
use super::status::ApiError;

pub type Body = BoxBody<Bytes, Infallible>;

/// How much of an over-long body is read (and dropped) before answering 413, so that a client still sending
/// reads the answer rather than a reset connection; past this the connection is dropped.
const DRAIN_LIMIT: usize = 64 * 1024 * 1024;

/// Serves `cluster` on `listener` until `stop` turns true; then every open connection is dropped.
pub async fn serve(
    cluster: Arc<Cluster>,
    listener: TcpListener,
    tls: Arc<rustls::ServerConfig>,
    mut stop: watch::Receiver<bool>,
) {
    let acceptor = TlsAcceptor::from(tls);
    let mut conns = JoinSet::new();
    loop {
        tokio::select! {
            _ = stop.changed() => {
                if *stop.borrow() {
                    conns.abort_all();
                    return;
                }
            }
            Some(_) = conns.join_next(), if !conns.is_empty() => {}
            accepted = listener.accept() => {
                let Ok((tcp, _)) = accepted else { continue };
                let _ = tcp.set_nodelay(true);
                let acceptor = acceptor.clone();
                let cluster = cluster.clone();
                conns.spawn(async move {
                    cluster.wait_unfrozen().await;
                    let Ok(tls) = acceptor.accept(tcp).await else { return };
                    let service = hyper::service::service_fn(move |req| {
                        let cluster = cluster.clone();
                        async move { Ok::<_, Infallible>(respond(&cluster, req).await) }
                    });
                    let _ = hyper::server::conn::http1::Builder::new()
                        .keep_alive(true)
                        .serve_connection(TokioIo::new(tls), service)
                        .await;
                });
            }
        }
    }
}

fn header(req: &Request<HyperBody>, name: &str) -> String {
    req.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string()
}

async fn respond(cluster: &Arc<Cluster>, req: Request<HyperBody>) -> Response<Body> {
    cluster.wait_unfrozen().await;
    let method = req.method().as_str().to_string();
    let path = req.uri().path().to_string();
    let query = Query::parse(req.uri().query());
    let token = header(&req, "authorization")
        .strip_prefix("Bearer ")
        .map(|t| t.trim().to_string());
    let content_type = header(&req, "content-type");
    let accept = header(&req, "accept");
    let user_agent = header(&req, "user-agent");
    let impersonate = {
        let user = header(&req, "impersonate-user");
        let groups: Vec<String> = req
            .headers()
            .get_all("impersonate-group")
            .iter()
            .filter_map(|v| v.to_str().ok().map(String::from))
            .collect();
        if user.is_empty() && groups.is_empty() {
            None
        } else {
            Some((user, groups))
        }
    };
    let (body, body_too_large) = match read_body(req.into_body()).await {
        Ok(b) => b,
        Err(()) => {
            let e = ApiError::bad_request("the request body could not be read");
            cluster
                .metrics
                .record(RequestLabels::non_resource(&method), e.code);
            return json_response(
                e.code,
                serde_json::to_vec(&e.to_status()).unwrap_or_default(),
                &[],
                None,
            );
        }
    };
    let incoming = Incoming {
        method,
        path,
        query,
        token,
        content_type,
        accept,
        user_agent,
        impersonate,
        body,
        body_too_large,
    };
    let (reply, labels) = api::handle(cluster, incoming).await;
    let code = match &reply {
        Reply::Json { code, .. } | Reply::Raw { code, .. } | Reply::JsonBytes { code, .. } => *code,
        Reply::Stream(_) => 200,
        Reply::Redirect(_) => 301,
    };
    cluster.metrics.record(labels, code);
    match reply {
        Reply::Json {
            code,
            body,
            warnings,
            content_type,
        } => json_response(
            code,
            serde_json::to_vec(&body).unwrap_or_default(),
            &warnings,
            content_type,
        ),
        Reply::JsonBytes {
            code,
            body,
            warnings,
        } => json_response(code, body, &warnings, None),
        Reply::Raw {
            code,
            content_type,
            body,
        } => Response::builder()
            .status(code)
            .header("content-type", content_type)
            .body(Full::new(body).map_err(|e| match e {}).boxed())
            .expect("valid response"),
        Reply::Redirect(location) => Response::builder()
            .status(301)
            .header("content-type", "application/json")
            .header("location", location)
            .body(Full::new(Bytes::new()).map_err(|e| match e {}).boxed())
            .expect("valid response"),
        Reply::Stream(rx) => {
            let stream = tokio_stream::wrappers::ReceiverStream::new(rx)
                .map(|b| Ok::<_, Infallible>(Frame::data(b)));
            Response::builder()
                .status(200)
                .header("content-type", "application/json")
                .header("cache-control", "no-cache, private")
                .body(BodyExt::boxed(StreamBody::new(stream)))
                .expect("valid response")
        }
    }
}

/// The request body, or (empty, true) when it is longer than the API server accepts. Err when the body could
/// not be read (the client went away) or runs past the drain limit.
async fn read_body(mut body: HyperBody) -> Result<(Bytes, bool), ()> {
    let mut buf = bytes::BytesMut::new();
    let mut total = 0usize;
    while let Some(frame) = body.frame().await {
        let Ok(data) = frame.map_err(|_| ())?.into_data() else {
            continue;
        };
        total += data.len();
        if total <= MAX_REQUEST_BODY_BYTES {
            buf.extend_from_slice(&data);
        } else if total > DRAIN_LIMIT {
            return Err(());
        }
    }
    if total > MAX_REQUEST_BODY_BYTES {
        return Ok((Bytes::new(), true));
    }
    Ok((buf.freeze(), false))
}

fn json_response(
    code: u16,
    bytes: impl Into<Bytes>,
    warnings: &[String],
    content_type: Option<&str>,
) -> Response<Body> {
    let bytes: Bytes = bytes.into();
    let mut resp = Response::builder()
        .status(code)
        .header("content-type", content_type.unwrap_or("application/json"))
        .header("cache-control", "no-cache, private");
    if content_type.is_some() {
        resp = resp.header("vary", "Accept");
    }
    for w in warnings {
        if let Ok(v) =
            HeaderValue::from_str(&format!("299 - {}", serde_json::Value::String(w.clone())))
        {
            resp = resp.header("warning", v);
        }
    }
    resp.body(Full::new(bytes).map_err(|e| match e {}).boxed())
        .expect("valid response")
}
