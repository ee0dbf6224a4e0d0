//! `list -o table` and the dashboard in a real terminal, laid out and cut
//! by one set of rules (`output::layout`): at 80 columns an ARN keeps its
//! id, so the rows stay told apart; at 80 and 120 columns both give way in
//! one order.

mod support;

use aws_sdk_bedrock::config::{BehaviorVersion, Credentials, Region};
use support::pty::Session;

/// Credentials for the endpoint, and none of this machine's AWS files.
const ENV: &[(&str, &str)] = &[
    ("AWS_ACCESS_KEY_ID", "AKIDTEST"),
    ("AWS_SECRET_ACCESS_KEY", "secret"),
    ("AWS_CONFIG_FILE", "/nonexistent/config"),
    ("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials"),
    ("AWS_EC2_METADATA_DISABLED", "true"),
];

/// 2025-06-01T12:00:00Z, the endpoint's frozen clock.
const NOW_MS: i64 = 1_748_779_200_000;

fn state_dir(name: &str) -> std::path::PathBuf {
    std::env::temp_dir().join(format!("copyjobs-layout-{name}-{}", std::process::id()))
}

/// `list --limit LIMIT --columns COLUMNS` in us-east-1 at the endpoint,
/// in a terminal `width` columns wide.
fn list(url: &str, limit: usize, columns: &str, width: u16, name: &str) -> Session {
    let limit = limit.to_string();
    Session::start(
        &[
            "list",
            "--endpoint-url",
            url,
            "--region",
            "us-east-1",
            "--limit",
            &limit,
            "--columns",
            columns,
        ],
        (width, 24),
        &state_dir(name),
        ENV,
    )
}

/// The columns both tables are asked for, and each one's header in the
/// dashboard and in `list -o table`.
const ASKED: &[(&str, &str, &str)] = &[
    ("status", "Status", "STATUS"),
    ("name", "Target model", "NAME"),
    ("created", "Created", "CREATED"),
    ("age", "Age", "AGE"),
    ("ran", "Ran", "RAN"),
    ("source_model", "Source model", "SOURCE"),
    ("source_account", "Source acct", "SRC ACCOUNT"),
    ("tags", "Tags", "TAGS"),
    ("job_arn", "Job ARN", "JOB ARN"),
];

/// The order in which they give way, as the README has it: the ARN first,
/// then Tags, the source account, the source model, Created, Age, Ran.
const ORDER: &[&str] = &[
    "job_arn",
    "tags",
    "source_account",
    "source_model",
    "created",
    "age",
    "ran",
];

/// The asked columns a header line leaves out, by config name.
fn left_out(header: &str, dashboard: bool) -> Vec<&'static str> {
    ASKED
        .iter()
        .filter(|(_, d, l)| !header.contains(if dashboard { d } else { l }))
        .map(|(name, _, _)| *name)
        .collect()
}

/// Whether `gone` is the first few of [`ORDER`]: nothing stayed that
/// should have gone before what went.
fn a_prefix_of_the_order(gone: &[&str]) -> bool {
    let mut sorted: Vec<&str> = gone.to_vec();
    sorted.sort_by_key(|c| ORDER.iter().position(|o| o == c));
    sorted == ORDER[..gone.len().min(ORDER.len())]
}

#[tokio::test(flavor = "multi_thread")]
async fn list_and_the_dashboard_give_way_in_one_order_at_80_and_120() {
    let s = support::endpoint(200, 7, NOW_MS, false).await;
    let url = s.url();
    let names: Vec<&str> = ASKED.iter().map(|(n, _, _)| *n).collect();
    let columns = names.join(",");
    let config = std::env::temp_dir().join(format!("copyjobs-layout-xdg-{}", std::process::id()));
    std::fs::create_dir_all(config.join("copyjobs")).unwrap();
    let quoted: Vec<String> = names.iter().map(|n| format!("\"{n}\"")).collect();
    std::fs::write(
        config.join("copyjobs/config.toml"),
        format!("[view]\ncolumns = [{}]\n", quoted.join(", ")),
    )
    .unwrap();
    let config = config.to_string_lossy().into_owned();
    let mut env = ENV.to_vec();
    env.push(("XDG_CONFIG_HOME", &config));
    for width in [80u16, 120] {
        let list = list(&url, 3, &columns, width, &format!("list{width}"));
        let screen = list.screen.wait_for("the list's three rows", |t| {
            t.lines().filter(|l| l.contains("  ")).count() >= 4
        });
        let list_header = screen.lines().next().unwrap().to_string();
        let dashboard = Session::start(
            &["--endpoint-url", &url, "--region", "us-east-1"],
            (width, 24),
            &state_dir(&format!("dash{width}")),
            &env,
        );
        let screen = dashboard.screen.wait_for("the table", |t| {
            t.contains("loaded") && t.contains("Target model")
        });
        let dash_header = screen
            .lines()
            .find(|l| l.contains("Target model"))
            .unwrap()
            .to_string();
        dashboard.quit();
        let (from_list, from_dash) = (left_out(&list_header, false), left_out(&dash_header, true));
        for (gone, header) in [(&from_list, &list_header), (&from_dash, &dash_header)] {
            assert!(!gone.is_empty(), "{width}: too wide to test: {header}");
            assert!(
                a_prefix_of_the_order(gone),
                "{width}: {gone:?} left out of {header:?}, not in the order"
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn list_at_80_columns_keeps_each_arns_id() {
    let s = support::endpoint(200, 7, NOW_MS, false).await;
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
    let session = list(&s.url(), 2, "job_arn,ran,status", 80, "arn");
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
