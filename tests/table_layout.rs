//! `list -o table` in a real terminal, laid out and cut as the dashboard's
//! table is (`output::layout`): at 80 columns an ARN keeps its id, so the
//! rows stay told apart.

mod support;

use aws_sdk_bedrock::config::{BehaviorVersion, Credentials, Region};
use support::pty::Session;

#[tokio::test(flavor = "multi_thread")]
async fn list_at_80_columns_keeps_each_arns_id() {
    let s = support::endpoint(200, 7, 1_748_779_200_000, false).await;
    let conf = aws_sdk_bedrock::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(s.url())
        .credentials_provider(Credentials::new("AKIDTEST", "secret", None, None, "tests"))
        .build();
    let page = aws_sdk_bedrock::Client::from_conf(conf)
        .list_model_copy_jobs()
        .max_results(2)
        .send()
        .await
        .unwrap();
    let want: Vec<String> = page
        .model_copy_job_summaries()
        .iter()
        .map(|j| j.job_arn.clone())
        .collect();
    assert_eq!(want.len(), 2);
    let state = std::env::temp_dir().join(format!("copyjobs-layout-{}", std::process::id()));
    let url = s.url();
    let session = Session::start(
        &[
            "list",
            "--endpoint-url",
            &url,
            "--region",
            "us-east-1",
            "--limit",
            "2",
            "--columns",
            "job_arn,ran,status",
        ],
        (80, 24),
        &state,
        &[
            ("AWS_ACCESS_KEY_ID", "AKIDTEST"),
            ("AWS_SECRET_ACCESS_KEY", "secret"),
            ("AWS_CONFIG_FILE", "/nonexistent/config"),
            ("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials"),
            ("AWS_EC2_METADATA_DISABLED", "true"),
        ],
    );
    let screen = session.screen.wait_for("the header and two rows", |t| {
        t.lines().filter(|l| l.contains("model-copy-job/")).count() == 2
    });
    let lines: Vec<&str> = screen.lines().filter(|l| !l.trim().is_empty()).collect();
    assert!(lines[0].starts_with("JOB ARN "), "{screen}");
    for (line, arn) in lines[1..3].iter().zip(&want) {
        let id = arn.rsplit('/').next().unwrap();
        let cell = line.split_whitespace().next().unwrap();
        // Cut at its start, as the README says: "…" and the ARN's end.
        assert!(cell.starts_with('…'), "{line}");
        assert!(
            arn.ends_with(cell.trim_start_matches('…')),
            "{line} / {arn}"
        );
        assert!(cell.ends_with(id), "{line} keeps {id}");
        assert!(line.chars().count() <= 80, "{line}");
    }
    assert_ne!(lines[1], lines[2], "the rows are told apart");
}
