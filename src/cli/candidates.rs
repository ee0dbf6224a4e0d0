//! The values a flag's completion offers: the fixed ones (statuses,
//! columns, themes), the regions that offer Bedrock and the AWS profiles
//! of this machine, each without what a comma-separated list already
//! holds. Apart from `completions` so the flags' definitions can name
//! them without depending on the command line as a whole.

use clap_complete::CompletionCandidate;

/// The profiles of the AWS config and credentials files, as `--profile`
/// takes them; for `--profiles`, those the list does not hold yet.
pub fn profiles() -> Vec<CompletionCandidate> {
    let names = tokio::runtime::Builder::new_current_thread()
        .build()
        .map(|rt| rt.block_on(crate::aws::profiles::known_profiles()))
        .unwrap_or_default();
    not_held(names)
}

/// The regions that offer Bedrock (those a list does not hold yet).
pub fn regions() -> Vec<CompletionCandidate> {
    not_held(crate::domain::region::BEDROCK_REGIONS.iter().copied())
}

/// `--status`: the words it takes, as its help lists them.
pub fn statuses() -> Vec<CompletionCandidate> {
    not_held(["any", "inprogress", "completed", "failed"])
}

/// `--columns`: the columns by their names, those not listed yet.
pub fn columns() -> Vec<CompletionCandidate> {
    not_held(crate::domain::column::Column::ALL.iter().map(|c| c.name()))
}

/// `--theme`: the built-in themes (a theme file is a path).
pub fn themes() -> Vec<CompletionCandidate> {
    not_held(crate::config::theme::BUILTIN.iter().map(|(name, _)| *name))
}

/// `names` less those the word being completed already holds before its
/// last comma: `--profiles dev,<TAB>` offers the others, not `dev,dev`.
/// (clap_complete hands a completer only the part after the last comma.)
pub fn not_held<S: Into<String>>(names: impl IntoIterator<Item = S>) -> Vec<CompletionCandidate> {
    let word = current_word();
    let held: Vec<&str> = word
        .rsplit_once(',')
        .map(|(before, _)| before.split(',').collect())
        .unwrap_or_default();
    names
        .into_iter()
        .map(Into::into)
        .filter(|n| !held.contains(&n.as_str()))
        .map(CompletionCandidate::new)
        .collect()
}

/// The word a completion request is for: the shell's words follow `--` on
/// the command line, `_CLAP_COMPLETE_INDEX` points at it (bash, zsh,
/// elvish; fish and PowerShell complete the last word). A flag's value
/// written `--flag=VALUE` is its VALUE.
fn current_word() -> String {
    let words: Vec<String> = std::env::args().skip_while(|a| a != "--").skip(1).collect();
    let index = std::env::var("_CLAP_COMPLETE_INDEX")
        .ok()
        .and_then(|i| i.parse::<usize>().ok())
        .unwrap_or_else(|| words.len().saturating_sub(1));
    let word = words.get(index).cloned().unwrap_or_default();
    match word.split_once('=') {
        Some((flag, value)) if flag.starts_with("--") => value.to_string(),
        _ => word,
    }
}
