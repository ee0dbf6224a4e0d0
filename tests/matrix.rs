//! The regions a copy can go to: `copy` to a region the table refuses, run
//! as the built binary against the local endpoint and counted there.

use copyjobs::domain::copy_regions::{CopyRegions, base_model};
use copyjobs::emulator::{Emulator, EmulatorOptions, Server};
use serde_json::Value;

mod support;
use support::cli::{finish, isolated};

const REGIONS: &str = "us-east-1,us-west-2,eu-central-1";

async fn endpoint(deny: &[&str]) -> Server {
    let options = EmulatorOptions {
        jobs: 400,
        seed: 23,
        frozen: true,
        arrival_rate: 0.0,
        now: Some(1_748_779_200_000),
        regions: REGIONS.split(',').map(str::to_string).collect(),
        deny_regions: deny.iter().map(|r| r.to_string()).collect(),
        ..EmulatorOptions::default()
    };
    Server::start(Emulator::new(options), ([127, 0, 0, 1], 0).into())
        .await
        .unwrap()
}

/// The binary against `server`, with `config` as its config file if given,
/// its records its own.
async fn run(
    server: &Server,
    config: Option<&std::path::Path>,
    args: &[&str],
) -> (i32, String, String) {
    let dir = std::env::temp_dir().join(format!(
        "copyjobs-matrix-{}-{}",
        std::process::id(),
        server.url().rsplit(':').next().unwrap_or("0")
    ));
    let mut c = isolated(args);
    c.args(["--endpoint-url", &server.url()])
        .env("XDG_STATE_HOME", dir)
        // The machine's zone must not matter: a zone far from UTC shows it.
        .env("TZ", "Pacific/Kiritimati");
    if let Some(path) = config {
        c.env("COPYJOBS_CONFIG", path);
    }
    finish(c).await
}

fn config(name: &str, text: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("copyjobs-matrix-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("config.toml");
    std::fs::write(&path, text).unwrap();
    path
}

/// Every job of `regions` as `list -o json` prints them.
async fn listing(server: &Server, regions: &str) -> Vec<Value> {
    let (code, out, err) = run(server, None, &["list", "-o", "json", "--regions", regions]).await;
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    v["modelCopyJobSummaries"].as_array().unwrap().clone()
}

fn text<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key].as_str().unwrap_or_else(|| panic!("{key} in {v}"))
}

/// A source model of the endpoint whose base model the table knows, and a
/// region of the endpoint's that copies of it cannot go to.
async fn model_with_an_unsupported_region(server: &Server) -> (String, String, Vec<String>) {
    let table = CopyRegions::shipped();
    let jobs = listing(server, REGIONS).await;
    for j in &jobs {
        let arn = text(j, "sourceModelArn");
        let Some(supported) = base_model(arn).and_then(|b| table.supported(b)) else {
            continue;
        };
        if let Some(region) = REGIONS
            .split(',')
            .find(|r| !supported.iter().any(|s| s == r))
        {
            return (arn.to_string(), region.to_string(), supported.to_vec());
        }
    }
    panic!("no source model of a base model with a region it cannot go to");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_copy_to_an_unsupported_region_is_refused_before_anything_is_sent() {
    let server = endpoint(&[]).await;
    let (source, refused, supported) = model_with_an_unsupported_region(&server).await;
    let ok = supported
        .iter()
        .find(|r| REGIONS.contains(r.as_str()))
        .unwrap()
        .clone();
    let before = server.emulator.requests_total();
    let to = format!("{ok},{refused}");
    for extra in [&[][..], &["--dry-run"][..]] {
        let args = [&["copy", source.as_str(), "--to", to.as_str()][..], extra].concat();
        let (code, out, err) = run(&server, None, &args).await;
        assert_eq!(code, 2, "{out}{err}");
        assert!(out.is_empty(), "{out}");
        let base = base_model(&source).unwrap();
        assert!(
            err.starts_with(&format!(
                "copyjobs: {base} (the base model of {source}) cannot be copied to {refused}: its copies go to "
            )),
            "{err}"
        );
        for r in &supported {
            assert!(err.contains(r.as_str()), "{r} named: {err}");
        }
        assert!(
            err.contains("the Bedrock user guide's supported regions for model copy, as of"),
            "{err}"
        );
    }
    assert_eq!(server.emulator.requests_total(), before, "nothing was sent");

    // The config's row says the region is fine: the copy goes out, one
    // request a region (the name is given, so nothing is looked up).
    let base = base_model(&source).unwrap();
    let file = config(
        "allow",
        &format!("[copy_regions]\n\"{base}\" = [\"{ok}\", \"{refused}\"]\n"),
    );
    let (code, out, err) = run(
        &server,
        Some(&file),
        &[
            "copy",
            &source,
            "--to",
            &to,
            "--name",
            "matrix-test-copy",
            "-o",
            "json",
        ],
    )
    .await;
    assert_eq!(server.emulator.requests_total(), before + 2, "{out}{err}");
    // Whether the service then takes it is the service's say (an endpoint
    // that knows the table refuses it: exit 4); both regions are reported.
    assert!(code == 0 || code == 4, "{out}{err}");
    let reported: Vec<Value> = serde_json::from_str(&out).unwrap();
    let regions: Vec<&str> = reported.iter().map(|o| text(o, "region")).collect();
    assert_eq!(regions, [ok.as_str(), refused.as_str()]);
    // And a row that leaves out a region refuses it, naming the file's line.
    let file = config(
        "deny",
        &format!("[view]\nrefresh = 10\n[copy_regions]\n\"{base}\" = [\"{refused}\"]\n"),
    );
    let (code, _, err) = run(
        &server,
        Some(&file),
        &["copy", &source, "--to", &ok, "--name", "x-copy"],
    )
    .await;
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains(&format!(
            "its copies go to {refused} only ([copy_regions] at {}:4)",
            file.display()
        )),
        "{err}"
    );
    assert_eq!(server.emulator.requests_total(), before + 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_copy_of_a_base_model_the_table_does_not_know_goes_out_with_a_note() {
    let server = endpoint(&[]).await;
    let table = CopyRegions::shipped();
    let jobs = listing(&server, REGIONS).await;
    let source = jobs
        .iter()
        .map(|j| text(j, "sourceModelArn"))
        .find(|arn| base_model(arn).is_some_and(|b| table.supported(b).is_none()))
        .expect("a base model the table does not know")
        .to_string();
    let before = server.emulator.requests_total();
    let (code, out, err) = run(
        &server,
        None,
        &[
            "copy",
            &source,
            "--to",
            "eu-central-1",
            "--name",
            "unknown-base-copy",
        ],
    )
    .await;
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        err.contains("is not in the table of regions a copy can go to"),
        "{err}"
    );
    assert_eq!(server.emulator.requests_total(), before + 1);
}
