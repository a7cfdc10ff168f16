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

use super::api::{self, Incoming, Reply};
use super::cluster::Cluster;
use super::request::Query;
use super::status::ApiError;

pub type Body = BoxBody<Bytes, Infallible>;

/// Largest request body accepted (the real server's limit is 3 MiB for most objects; leave room for lists).
const MAX_BODY: usize = 16 * 1024 * 1024;

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
    let body = match http_body_util::Limited::new(req.into_body(), MAX_BODY)
        .collect()
        .await
    {
        Ok(b) => b.to_bytes(),
        Err(_) => {
            let e = ApiError::new(
                413,
                "RequestEntityTooLarge",
                "the request body is too large",
            );
            cluster.metrics.record(&method, "", 413);
            return json_response(e.code, &e.to_status(), &[], None);
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
    };
    let (reply, verb, resource) = api::handle(cluster, incoming).await;
    let code = match &reply {
        Reply::Json { code, .. } | Reply::Raw { code, .. } => *code,
        Reply::Stream(_) => 200,
    };
    cluster.metrics.record(&verb, &resource, code);
    match reply {
        Reply::Json {
            code,
            body,
            warnings,
            content_type,
        } => json_response(code, &body, &warnings, content_type),
        Reply::Raw {
            code,
            content_type,
            body,
        } => Response::builder()
            .status(code)
            .header("content-type", content_type)
            .body(Full::new(body).map_err(|e| match e {}).boxed())
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

fn json_response(
    code: u16,
    body: &serde_json::Value,
    warnings: &[String],
    content_type: Option<&str>,
) -> Response<Body> {
    let bytes = serde_json::to_vec(body).unwrap_or_default();
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
    resp.body(
        Full::new(Bytes::from(bytes))
            .map_err(|e| match e {})
            .boxed(),
    )
    .expect("valid response")
}
