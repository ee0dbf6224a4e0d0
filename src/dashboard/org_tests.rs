//! An organisation in the dashboard: three accounts × two regions, read
//! through one profile. Failing sources told once, `S` over the accounts,
//! the local search by account, and `M`'s Enter narrowing to an account.

use super::*;
use crate::domain::account::Account;
use crate::watch::SourceSpec;
use crate::watch::source::Reach;

const PROFILE: &str = "org";
/// id, name: the accounts as Organizations would name them.
const ACCOUNTS: [(&str, &str); 3] = [
    ("111111111111", "ml-prod"),
    ("222222222222", "ml-dev"),
    ("333333333333", "data-sandbox"),
];
const REGIONS: [&str; 2] = ["us-east-1", "us-west-2"];
/// ml-prod's model, which ml-dev copies into its own us-west-2.
const SHARED: &str = "arn:aws:bedrock:us-east-1:111111111111:custom-model/shared/abcdefghij12";

fn reach(id: &str, name: &str) -> Reach {
    Reach {
        account: Account {
            id: id.into(),
            name: Some(name.into()),
        },
        role: "CopyJobsReader".into(),
        sso: false,
    }
}

/// Every account in every region, in that order (as `--org` makes them).
fn specs() -> Vec<SourceSpec> {
    ACCOUNTS
        .iter()
        .flat_map(|(id, name)| {
            REGIONS.iter().map(|r| SourceSpec {
                profile: Some(PROFILE.into()),
                region: Some((*r).into()),
                account: Some(reach(id, name)),
            })
        })
        .collect()
}

/// Job `i` of `account` in `region`: a copy of ml-prod's shared model.
fn org_job(i: usize, account: &str, region: &str) -> CopyJob {
    let id = format!("{account}{i:04}")[4..].to_string();
    CopyJob {
        job_arn: format!("arn:aws:bedrock:{region}:{account}:model-copy-job/{id}"),
        target_model_arn: format!("arn:aws:bedrock:{region}:{account}:custom-model/x/{id}"),
        source_model_arn: SHARED.into(),
        source_account_id: "111111111111".into(),
        source_model_name: Some("shared-model".into()),
        ..job(i, Status::Completed)
    }
}

/// Two jobs in each account and region.
fn org_jobs() -> Vec<CopyJob> {
    let mut out = Vec::new();
    for (a, (id, _)) in ACCOUNTS.iter().enumerate() {
        for (r, region) in REGIONS.iter().enumerate() {
            for k in 0..2 {
                out.push(org_job(a * 10 + r * 2 + k, id, region));
            }
        }
    }
    out
}

fn org_state() -> State {
    let settings = Settings {
        sources: specs(),
        ..Settings::new("test", Target::default(), FixedOffset::east_opt(0).unwrap())
    };
    let mut s = State::new(settings, Filter::default(), t0());
    update(&mut s, Msg::Start(t0()));
    update(&mut s, Msg::Viewport(40));
    answer_all(&mut s, |_| Ok(()));
    s
}

/// Every source's answer: its account's jobs of its region, or the error
/// `how` gives for it.
fn answer_all(s: &mut State, how: impl Fn(&crate::watch::Source) -> Result<(), FetchError>) {
    let jobs = org_jobs();
    let sources: Vec<_> = s
        .engine
        .sources()
        .iter()
        .map(|src| (src.id, src.generation, how(src), src.spec.clone()))
        .collect();
    for (source, generation, result, spec) in sources {
        let account = spec.account.as_ref().map(|r| r.account.id.clone());
        let mine: Vec<CopyJob> = jobs
            .iter()
            .filter(|j| {
                Some(j.region()) == spec.region.as_deref()
                    && Some(j.account()) == account.as_deref()
            })
            .cloned()
            .collect();
        let first = s.engine.source(source).is_some_and(|x| !x.first_done);
        let result = result.map(|()| {
            if first {
                Outcome::First {
                    page: page(mine, None),
                    inflight: Vec::new(),
                    newest: None,
                }
            } else {
                Outcome::Refresh {
                    head_newest: mine.iter().map(|j| j.created).max(),
                    seen: mine,
                    gone: Vec::new(),
                    unkept: Default::default(),
                    unanswered: None,
                }
            }
        });
        let at = s.now;
        update(
            s,
            Msg::Loaded {
                source,
                generation,
                result,
                at,
            },
        );
    }
}

fn account_of(s: &State, slot: crate::app::state::Slot) -> String {
    s.row(slot).unwrap().job.account().to_string()
}

fn expired() -> FetchError {
    FetchError {
        expired: true,
        ..FetchError::new(
            ErrorKind::Credentials,
            "No usable AWS credentials: the SSO token has expired and cannot be refreshed",
            None,
        )
    }
}

#[test]
fn one_expired_session_shared_by_every_account_is_logged_once() {
    let mut s = org_state();
    assert_eq!(s.view.len(), 12, "every account's jobs");
    assert!(s.events.iter().all(|e| e.source.is_none()));
    let t = t0() + Duration::seconds(10);
    update(&mut s, Msg::Tick(t));
    answer_all(&mut s, |_| Err(expired()));
    let failing = s.engine.sources().iter().filter(|x| x.error.is_some());
    assert_eq!(failing.count(), 6);
    let told: Vec<_> = s.events.iter().filter(|e| e.source.is_some()).collect();
    assert_eq!(told.len(), 1, "one line for the six sources: {told:?}");
    assert_eq!(told[0].name, "profile org");
    assert!(told[0].failure.as_deref().unwrap().contains("expired"));
    // Back: one line again, when the last of them answers.
    update(&mut s, Msg::Tick(t + Duration::minutes(10)));
    answer_all(&mut s, |_| Ok(()));
    let told: Vec<_> = s.events.iter().filter(|e| e.source.is_some()).collect();
    assert_eq!(told.len(), 2, "{told:?}");
    assert_eq!(told[1].failure, None);
    assert_eq!(s.view.len(), 12, "the rows kept throughout");
}

#[test]
fn a_refused_role_is_its_accounts_alone_and_each_source_says_why() {
    let mut s = org_state();
    let t = t0() + Duration::seconds(10);
    update(&mut s, Msg::Tick(t));
    let cause = "Error { code: \"AccessDenied\", message: \"User: arn:aws:iam::999999999999:user/demo is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::222222222222:role/CopyJobsReader\", aws_request_id: \"4e720e77\" }";
    let why = crate::aws::error::role_refusal(cause).expect("an AssumeRole refusal");
    assert!(
        !why.contains("aws_request_id") && why.starts_with("AccessDenied: User: arn"),
        "{why}"
    );
    let refused = FetchError::role_refused(&why);
    answer_all(&mut s, |src| {
        let dev = src
            .spec
            .account
            .as_ref()
            .is_some_and(|r| r.account.id == "222222222222");
        if dev { Err(refused.clone()) } else { Ok(()) }
    });
    let told: Vec<String> = s
        .events
        .iter()
        .filter(|e| e.source.is_some())
        .map(|e| e.name.clone())
        .collect();
    assert_eq!(told, ["ml-dev/us-east-1", "ml-dev/us-west-2"]);
    // The others go on: ml-dev's rows kept, the rest refreshed.
    assert_eq!(s.view.len(), 12);
    // S says which account fails and why.
    update(&mut s, ch('S'));
    let Mode::Sources(p) = mode(&s) else {
        panic!("S opens the picker")
    };
    let dev = p
        .accounts
        .iter()
        .find(|a| a.reach.account.id == "222222222222")
        .unwrap();
    assert!(
        dev.state().starts_with("✘ The role cannot be assumed"),
        "{}",
        dev.state()
    );
    let prod = &p.accounts[0];
    assert_eq!(prod.state(), "✔ 2 regions");
}

#[test]
fn s_lists_the_accounts_finds_them_by_name_or_id_and_applies_without_a_restart() {
    let mut s = org_state();
    update(&mut s, ch('S'));
    let Mode::Sources(p) = mode(&s) else {
        panic!("S opens the picker")
    };
    assert!(p.by_account());
    assert_eq!(p.shown_accounts().len(), 3);
    // Typed: the accounts whose name or id holds it.
    typed(&mut s, "dev");
    let Mode::Sources(p) = mode(&s) else { panic!() };
    let shown: Vec<&str> = p
        .shown_accounts()
        .iter()
        .map(|&i| p.accounts[i].reach.account.id.as_str())
        .collect();
    assert_eq!(shown, ["222222222222"]);
    // Space unchecks it (its two regions), the text stays typed.
    update(&mut s, key(KeyCode::Char(' ')));
    update(&mut s, key(KeyCode::Esc));
    typed(&mut s, "3333");
    let Mode::Sources(p) = mode(&s) else { panic!() };
    assert_eq!(p.shown_accounts(), [2], "by id");
    assert_eq!(p.chosen().unwrap().len(), 4, "2 accounts × 2 regions");
    let fx = update(&mut s, key(KeyCode::Enter));
    assert!(
        matches!(mode(&s), Mode::Table),
        "Enter applies, typed or not"
    );
    let forgot = fx.iter().filter(|e| matches!(e, Effect::Forget(_))).count();
    assert_eq!(forgot, 2, "ml-dev's two sources dropped: {fx:?}");
    assert_eq!(s.engine.sources().len(), 4);
    assert!(s.view.iter().all(|&v| account_of(&s, v) != "222222222222"));
    assert_eq!(s.view.len(), 8);
    // Open again: ml-dev is offered, unchecked; checking it adds it back.
    update(&mut s, ch('S'));
    let Mode::Sources(p) = mode(&s) else { panic!() };
    let dev = &p.accounts[1];
    assert_eq!((dev.on, dev.state().as_str()), (false, "not shown"));
    update(&mut s, key(KeyCode::Down));
    update(&mut s, key(KeyCode::Char(' ')));
    let fx = update(&mut s, key(KeyCode::Enter));
    let asked: Vec<Option<String>> = fx
        .iter()
        .filter_map(|e| match e {
            Effect::Fetch { spec, .. } => Some(spec.account.as_ref().map(|r| r.account.id.clone())),
            _ => None,
        })
        .collect();
    let dev = Some("222222222222".to_string());
    assert_eq!(asked, [dev.clone(), dev]);
    assert_eq!(s.engine.sources().len(), 6);
}

#[test]
fn the_local_search_narrows_to_an_account_by_name_or_id() {
    let mut s = org_state();
    update(&mut s, ch('/'));
    typed(&mut s, "ML-DEV");
    update(&mut s, key(KeyCode::Enter));
    assert_eq!(s.view.len(), 4, "ml-dev's jobs in both regions");
    assert!(s.view.iter().all(|&v| account_of(&s, v) == "222222222222"));
    update(&mut s, key(KeyCode::Esc));
    assert_eq!(s.view.len(), 12);
    update(&mut s, ch('/'));
    typed(&mut s, "333333333333");
    update(&mut s, key(KeyCode::Enter));
    assert_eq!(s.view.len(), 4);
    assert!(s.view.iter().all(|&v| account_of(&s, v) == "333333333333"));
}

/// M opened and its window read: every account's jobs and ml-dev's copy
/// of ml-prod's model into us-west-2, the newest there.
fn m_read(s: &mut State) {
    let fx = update(s, ch('M'));
    let generation = fx
        .iter()
        .find_map(|e| match e {
            Effect::ReadWindow { generation, .. } => Some(*generation),
            _ => None,
        })
        .expect("M reads the window");
    // ml-dev's copy of ml-prod's model into us-west-2 is the newest there.
    let mut jobs = org_jobs();
    let mut newest = org_job(90, "222222222222", "us-west-2");
    newest.created = t0();
    jobs.push(newest);
    update(
        s,
        Msg::WindowRead {
            generation,
            result: Ok(jobs),
        },
    );
}

#[test]
fn m_names_the_accounts_and_enter_narrows_to_the_copys_account_and_region() {
    let mut s = org_state();
    m_read(&mut s);
    let m = &s.overview.as_ref().unwrap().data.as_ref().unwrap().matrix;
    assert_eq!(m.rows().len(), 1, "one model, whatever account copied it");
    assert_eq!(m.account_name("111111111111"), "ml-prod");
    let cell = m.row(0).unwrap().cell(1).unwrap();
    assert_eq!(cell.copies, 7, "every account's copies into us-west-2");
    update(&mut s, key(KeyCode::Right));
    update(&mut s, key(KeyCode::Enter));
    assert!(s.panes.is_empty(), "back to the table");
    assert_eq!(s.account_only.as_deref(), Some("222222222222"));
    assert_eq!(s.region_only.as_deref(), Some("us-west-2"));
    answer_all(&mut s, |_| Ok(()));
    assert_eq!(s.view.len(), 2, "ml-dev's copies into us-west-2");
    assert!(s.view.iter().all(|&v| account_of(&s, v) == "222222222222"));
    let said = &s.notice.as_ref().unwrap().text;
    assert!(said.contains("ml-dev · 222222222222 us-west-2"), "{said}");
    update(&mut s, key(KeyCode::Esc));
    assert_eq!(
        (s.account_only.clone(), s.region_only.clone()),
        (None, None)
    );
    assert_eq!(s.view.len(), 12);
}

#[test]
fn m_enter_replaces_a_local_search_and_esc_then_undoes_the_narrowing() {
    let mut s = org_state();
    // A search for another account's jobs: kept, it would hide every job
    // the narrowing shows.
    update(&mut s, ch('/'));
    typed(&mut s, "data-sandbox");
    update(&mut s, key(KeyCode::Enter));
    assert_eq!(s.view.len(), 4);
    m_read(&mut s);
    update(&mut s, key(KeyCode::Right));
    update(&mut s, key(KeyCode::Enter));
    answer_all(&mut s, |_| Ok(()));
    assert_eq!(s.search, "", "the narrowing replaced the search");
    assert_eq!(s.view.len(), 2, "ml-dev's copies into us-west-2");
    let said = &s.notice.as_ref().unwrap().text;
    assert!(said.contains("local search dropped"), "{said}");
    // The first Esc undoes what was done last: the narrowing.
    update(&mut s, key(KeyCode::Esc));
    assert_eq!(
        (s.account_only.clone(), s.region_only.clone()),
        (None, None)
    );
    assert_eq!(s.view.len(), 12);
}

/// M's `/` finds a model by its account's name or id too, as the table's
/// `/` does: `/ml-prod` (the shared model's owner) found it, where it
/// said "No model's name holds".
#[test]
fn m_finds_models_by_their_accounts_name_or_id() {
    for (needle, found) in [("ML-PROD", true), ("1111", true), ("nobody", false)] {
        let mut s = org_state();
        m_read(&mut s);
        update(&mut s, ch('/'));
        typed(&mut s, needle);
        update(&mut s, key(KeyCode::Enter));
        // Enter on the model found opens its jobs; on none, M stays.
        update(&mut s, key(KeyCode::Enter));
        assert_eq!(s.panes.is_empty(), found, "{needle}");
    }
}

/// The detail of ml-dev's copy of ml-prod's model: its own account named
/// (its ARN's), the source model's account labelled as such, named too;
/// it showed the source's bare id as "Account".
#[test]
fn the_detail_names_the_jobs_account_and_the_source_account_apart() {
    let mut s = org_state();
    update(&mut s, ch('/'));
    typed(&mut s, "ml-dev");
    update(&mut s, key(KeyCode::Enter));
    assert!(s.view.iter().all(|&v| account_of(&s, v) == "222222222222"));
    let text: String = crate::ui::detail::lines(&s, 100)
        .iter()
        .map(|l| {
            l.spans
                .iter()
                .map(|sp| sp.content.as_ref())
                .collect::<String>()
                + "\n"
        })
        .collect();
    assert!(text.contains("Account    ml-dev · 222222222222"), "{text}");
    assert!(text.contains("Src acct   ml-prod · 111111111111"), "{text}");
}

/// M's narrowing at 80 columns: the header keeps the region and the
/// account's name, the id cut first (`only team-voice-prod · 66…` lost
/// the region).
#[test]
fn m_narrowing_names_region_and_account_before_the_id_at_80_columns() {
    let mut s = org_state();
    m_read(&mut s);
    update(&mut s, key(KeyCode::Right));
    update(&mut s, key(KeyCode::Enter));
    answer_all(&mut s, |_| Ok(()));
    let backend = ratatui::backend::TestBackend::new(80, 24);
    let mut term = ratatui::Terminal::new(backend).expect("terminal");
    term.draw(|f| crate::ui::header::draw(f, ratatui::layout::Rect::new(0, 0, 80, 2), &s))
        .expect("draw");
    let line: String = (0..80)
        .map(|x| term.backend().buffer()[(x, 1)].symbol().to_string())
        .collect();
    // The region whole, then as much of the name as fits; no id.
    assert!(line.contains("only us-west-2 of ml-d"), "{line}");
    assert!(!line.contains("2222"), "{line}");
}
