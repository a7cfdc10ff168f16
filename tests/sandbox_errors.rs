//! Bad requests get what a real API server answers (a `Status` with the real code and reason), never a panic or
//! a hung connection, and the server keeps serving.

mod support;

use serde_json::{json, Value};

async fn send(
    client: &kube::Client,
    method: &str,
    path: &str,
    ct: Option<&str>,
    body: &str,
) -> (u16, Value) {
    let mut b = http::Request::builder().method(method).uri(path);
    if let Some(ct) = ct {
        b = b.header("content-type", ct);
    }
    let req = b.body(body.as_bytes().to_vec()).unwrap();
    match client.request_text(req).await {
        Ok(text) => (200, serde_json::from_str(&text).unwrap_or(Value::Null)),
        Err(kube::Error::Api(s)) => (s.code, json!({"reason": s.reason, "message": s.message})),
        Err(e) => panic!("{method} {path}: transport error {e}"),
    }
}

/// (method, path, content type, body, expected code, expected reason)
type Case<'a> = (&'a str, &'a str, Option<&'a str>, &'a str, u16, &'a str);

#[tokio::test]
async fn bad_requests_get_status_answers_and_the_server_keeps_serving() {
    let sb = support::start(&["c1"]).await;
    let c = support::client(&sb, "c1").await;
    let cm = r#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x"}}"#;
    let cases: Vec<Case> = vec![
        ("GET", "/api/v1/nosuchthings", None, "", 404, "NotFound"),
        (
            "GET",
            "/apis/nosuch.group/v1/things",
            None,
            "",
            404,
            "NotFound",
        ),
        ("GET", "/api/v1/configmaps/x", None, "", 404, "NotFound"),
        (
            "POST",
            "/api/v1/namespaces/default/configmaps",
            Some("application/json"),
            "{not json",
            400,
            "BadRequest",
        ),
        (
            "POST",
            "/api/v1/namespaces/other/configmaps",
            Some("application/json"),
            r#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x","namespace":"default"}}"#,
            400,
            "BadRequest",
        ),
        (
            "POST",
            "/api/v1/namespaces/missing/configmaps",
            Some("application/json"),
            cm,
            404,
            "NotFound",
        ),
        (
            "POST",
            "/api/v1/namespaces/default/configmaps",
            Some("text/plain"),
            cm,
            415,
            "UnsupportedMediaType",
        ),
        (
            "POST",
            "/api/v1/namespaces/default/configmaps?dryRun=Sometimes",
            Some("application/json"),
            cm,
            422,
            "Invalid",
        ),
        (
            "POST",
            "/api/v1/namespaces/default/configmaps",
            Some("application/json"),
            r#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"Bad_Name"}}"#,
            422,
            "Invalid",
        ),
        (
            "PUT",
            "/api/v1/namespaces/default/configmaps",
            Some("application/json"),
            cm,
            405,
            "MethodNotAllowed",
        ),
        (
            "DELETE",
            "/api/v1/namespaces",
            None,
            "",
            405,
            "MethodNotAllowed",
        ),
        (
            "PATCH",
            "/api/v1/namespaces/default/configmaps/x",
            Some("application/xml"),
            "{}",
            415,
            "UnsupportedMediaType",
        ),
        (
            "PATCH",
            "/api/v1/namespaces/default/configmaps/x",
            Some("application/merge-patch+json"),
            "{}",
            404,
            "NotFound",
        ),
        (
            "PATCH",
            "/api/v1/namespaces/default/configmaps/x?fieldManager=m",
            Some("application/apply-patch+yaml"),
            "[1,2",
            400,
            "BadRequest",
        ),
        (
            "PATCH",
            "/api/v1/namespaces/default/configmaps/x",
            Some("application/apply-patch+yaml"),
            cm,
            422,
            "Invalid",
        ),
        (
            "GET",
            "/api/v1/namespaces/default/configmaps?labelSelector=a%20in%20(b",
            None,
            "",
            400,
            "BadRequest",
        ),
        (
            "GET",
            "/api/v1/namespaces/default/configmaps?fieldSelector=spec.x%3Dy",
            None,
            "",
            400,
            "BadRequest",
        ),
        (
            "GET",
            "/api/v1/namespaces/default/configmaps?limit=1&continue=garbage",
            None,
            "",
            400,
            "BadRequest",
        ),
        (
            "DELETE",
            "/api/v1/namespaces/default",
            None,
            "",
            403,
            "Forbidden",
        ),
    ];
    for (method, path, ct, body, code, reason) in cases {
        let (got, status) = send(&c, method, path, ct, body).await;
        assert_eq!(
            (got, status["reason"].as_str().unwrap_or("")),
            (code, reason),
            "{method} {path}: {status}"
        );
    }
    // Still serving.
    let (code, v) = send(&c, "GET", "/version", None, "").await;
    assert_eq!((code, v["gitVersion"].as_str()), (200, Some("v1.33.0")));
}

#[tokio::test]
async fn unknown_token_is_401_and_anonymous_is_403() {
    let sb = support::start(&["c1"]).await;
    let bad = support::client_with_token(&sb, "c1", "not-a-token").await;
    let (code, _) = send(&bad, "GET", "/api/v1/namespaces", None, "").await;
    assert_eq!(code, 401);
}

#[tokio::test]
async fn pod_log_checks_the_container_and_streams_nothing_for_an_unscheduled_pod() {
    let sb = support::start(&["c1"]).await;
    let c = support::client(&sb, "c1").await;
    let pods = "/api/v1/namespaces/default/pods";
    let pod = |name: &str, containers: &str| {
        format!(
            r#"{{"apiVersion":"v1","kind":"Pod","metadata":{{"name":"{name}"}},"spec":{{"containers":{containers}}}}}"#
        )
    };
    let one = pod("one", r#"[{"name":"a","image":"nginx"}]"#);
    let two = pod(
        "two",
        r#"[{"name":"a","image":"nginx"},{"name":"b","image":"nginx"}]"#,
    );
    for body in [&one, &two] {
        assert_eq!(
            send(&c, "POST", pods, Some("application/json"), body)
                .await
                .0,
            200
        );
    }
    let req = http::Request::get(format!("{pods}/one/log"))
        .body(vec![])
        .unwrap();
    assert_eq!(c.request_text(req).await.unwrap(), "");
    let (code, s) = send(&c, "GET", &format!("{pods}/one/log?container=z"), None, "").await;
    assert_eq!((code, s["reason"].as_str()), (400, Some("BadRequest")));
    assert_eq!(s["message"], "container z is not valid for pod one");
    let (code, s) = send(&c, "GET", &format!("{pods}/two/log"), None, "").await;
    assert_eq!(code, 400);
    assert_eq!(
        s["message"],
        "a container name must be specified for pod two, choose one of: [a b]"
    );
    let (code, _) = send(&c, "GET", &format!("{pods}/two/log?container=b"), None, "").await;
    assert_eq!(code, 200);
    let (code, _) = send(&c, "GET", &format!("{pods}/nope/log"), None, "").await;
    assert_eq!(code, 404);
}
