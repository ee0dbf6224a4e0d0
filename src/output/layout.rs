//! How wide each column of a table of jobs is, from what it holds: the short
//! columns (status, region, times, account) get exactly their longest text,
//! so none loses its unit; the long ones (names, ARNs) share the rest, the
//! target model's name first. Columns that do not fit give way in a fixed
//! order instead of squeezing the name. The one layout and the one way to
//! cut for both the dashboard's table and `list -o table`, so a column that
//! gives way in one gives way in the other, and an ARN keeps its id in both.

use crate::domain::column::Column;

/// The configured columns, with Account, Region and Profile joining by themselves,
/// after the name, when the table mixes several: one source's jobs all
/// share them, and the header already says which. Listed already, they
/// stay where they were listed.
pub fn with_sources(
    configured: &[Column],
    regions: bool,
    profiles: bool,
    accounts: bool,
) -> Vec<Column> {
    let mut columns = configured.to_vec();
    let mut at = columns
        .iter()
        .position(|c| *c == Column::Name)
        .map_or(columns.len(), |i| i + 1);
    for (column, on) in [
        (Column::Account, accounts),
        (Column::Region, regions),
        (Column::Profile, profiles),
    ] {
        if on && !columns.contains(&column) {
            columns.insert(at.min(columns.len()), column);
            at += 1;
        }
    }
    columns
}

/// `text` in at most `width` cells, cut on the side its column keeps: a
/// name its start ("voice-chat-nova-mi…"), an ARN or a key its end, the id
/// that tells the rows apart ("…:model-copy-job/abc123def456").
pub fn fit(column: Column, text: &str, width: usize) -> String {
    if column == Column::Account {
        // Its name's middle, beside the id while there is room: see
        // `cut::account`.
        return super::cut::account(text, width);
    }
    match cut(column) {
        Cut::Start(_) => super::cut::start(text, width),
        Cut::End(_) | Cut::None => super::cut::end(text, width),
    }
}

/// A column on screen: which, and its width in cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Laid {
    pub column: Column,
    pub width: u16,
}

/// How a long column cuts its text and how much of it it keeps at least.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cut {
    /// Short text: all of it or the column gives way.
    None,
    /// A name: keeps its start, at least this many cells.
    End(u16),
    /// An ARN or a key: keeps its end (the id), at least this many cells.
    Start(u16),
}

pub fn cut(c: Column) -> Cut {
    match c {
        // Enough to tell `voice-chat-nova-micro-v11-copy-33` from `…-use1-36`.
        Column::Name => Cut::End(32),
        Column::SourceModel => Cut::End(16),
        Column::Profile => Cut::End(12),
        // Cut in its name's middle (`data-p…sandbox`): the ends tell an
        // organisation's accounts apart.
        Column::Account => Cut::End(14),
        Column::JobArn | Column::TargetModelArn | Column::SourceModelArn => Cut::Start(24),
        Column::KmsKey => Cut::Start(16),
        _ => Cut::None,
    }
}

/// The order in which a column gives way when the terminal is narrow
/// (higher goes first; 0 never does). Ran holds a running copy's ETA, what
/// a person watching wants most: it outlasts both times of creation. The
/// account, which joins only when several are read, outlasts them all:
/// without it rows of many accounts look alike (at 80 columns an
/// `eu-central-1` row or an ETA took its place).
fn give_way(c: Column) -> u8 {
    match c {
        Column::Status | Column::Name => 0,
        Column::Account => 1,
        Column::Region => 2,
        Column::Ran => 3,
        Column::Profile | Column::Age => 4,
        Column::Created => OPTIONAL,
        Column::SourceModel => 6,
        Column::SourceAccount => 7,
        Column::Tags => 8,
        Column::JobArn | Column::TargetModelArn | Column::SourceModelArn | Column::KmsKey => 9,
    }
}

/// From this rank on ([`give_way`]) a column gives way to the account's
/// whole label (`data-platform-sandbox · 250824832504`): the job's
/// creation time, source model and account, tags and ARNs are in its
/// detail, and the label is what tells an organisation's rows apart.
const OPTIONAL: u8 = 5;

/// Which long column gets spare room first (lower first), once each has
/// its least. The account right after the name: an organisation's
/// accounts share prefixes (`data-platform-sandbox`,
/// `data-platform-staging`), and cut to its least the column could not
/// tell them apart. (Where the spare room holds every label whole, the
/// account has it first: see `lay_out_spaced`.)
fn room_order(c: Column) -> u8 {
    match c {
        Column::Name => 0,
        Column::Account => 1,
        Column::SourceModel => 2,
        Column::Profile => 3,
        Column::JobArn => 4,
        Column::KmsKey => 5,
        _ => 6,
    }
}

/// Lays `wanted` (each with the width its header and its longest text on
/// screen need) into `width` cells, one cell between columns.
pub fn lay_out(width: u16, wanted: &[(Column, u16)]) -> Vec<Laid> {
    lay_out_spaced(width, wanted, 1)
}

/// As [`lay_out`], with `gap` cells after each column (the last one's
/// counted too, so a caller that prints no trailing gap passes
/// `width + gap`).
pub fn lay_out_spaced(width: u16, wanted: &[(Column, u16)], gap: u16) -> Vec<Laid> {
    let least = |(c, natural): (Column, u16)| match cut(c) {
        Cut::None => natural,
        Cut::End(m) | Cut::Start(m) => natural.min(m),
    };
    let mut cols: Vec<(Column, u16)> = wanted.to_vec();
    let total = |cols: &[(Column, u16)]| -> u16 { cols.iter().map(|&c| least(c) + gap).sum() };
    while total(&cols) > width {
        let Some((i, _)) = cols
            .iter()
            .enumerate()
            .filter(|(_, (c, _))| give_way(*c) > 0)
            .max_by_key(|(i, (c, _))| (give_way(*c), *i))
        else {
            break;
        };
        cols.remove(i);
    }
    // The account's whole label before the optional columns, where
    // leaving them out makes room for it.
    let whole = |cols: &[(Column, u16)]| {
        total(cols)
            + cols
                .iter()
                .find(|(c, _)| *c == Column::Account)
                .map_or(0, |&a| a.1.saturating_sub(least(a)))
    };
    if cols.iter().any(|(c, _)| *c == Column::Account) {
        let mut trial = cols.clone();
        while whole(&trial) > width {
            let Some((i, _)) = trial
                .iter()
                .enumerate()
                .filter(|(_, (c, _))| give_way(*c) >= OPTIONAL)
                .max_by_key(|(i, (c, _))| (give_way(*c), *i))
            else {
                break;
            };
            trial.remove(i);
        }
        if whole(&trial) <= width {
            cols = trial;
        }
    }
    let mut laid: Vec<Laid> = cols
        .iter()
        .map(|&(column, natural)| Laid {
            column,
            width: least((column, natural)),
        })
        .collect();
    let mut spare = width.saturating_sub(total(&cols));
    // The long columns up to their longest text, the name first.
    let mut order: Vec<usize> = (0..laid.len())
        .filter(|&i| cut(laid[i].column) != Cut::None)
        .collect();
    order.sort_by_key(|&i| (room_order(laid[i].column), i));
    // `name · id` whole (36 cells for `data-platform-sandbox ·
    // 250824832504`) before the name's last cells, where the room holds
    // it: at 160 columns the id is what the name's rest would only
    // lengthen. Where it does not, the account shows names alone (see
    // `cut::account`) and the name comes first.
    if let Some(&i) = order.iter().find(|&&i| laid[i].column == Column::Account) {
        let more = cols[i].1.saturating_sub(laid[i].width);
        if more <= spare {
            laid[i].width += more;
            spare -= more;
        }
    }
    for &i in &order {
        let more = cols[i].1.saturating_sub(laid[i].width).min(spare);
        laid[i].width += more;
        spare -= more;
    }
    // What is left widens the name (or the first long column), so the
    // table spans the terminal.
    if let Some(&i) = order.first() {
        laid[i].width += spare;
    }
    // Not even the two that never give way fit: cut from the right.
    let mut over = laid
        .iter()
        .map(|l| l.width + gap)
        .sum::<u16>()
        .saturating_sub(width);
    for l in laid.iter_mut().rev() {
        let less = over.min(l.width);
        l.width -= less;
        over -= less;
    }
    laid
}

#[cfg(test)]
mod tests {
    use super::*;

    fn columns(laid: &[Laid]) -> Vec<Column> {
        laid.iter().map(|l| l.column).collect()
    }

    fn width_of(laid: &[Laid], c: Column) -> Option<u16> {
        laid.iter().find(|l| l.column == c).map(|l| l.width)
    }

    /// What the rows of a multi-region demo hold, column by column.
    fn demo() -> Vec<(Column, u16)> {
        vec![
            (Column::Status, 12),
            (Column::Name, 46),
            (Column::Region, 9),
            (Column::Created, 11),
            (Column::Age, 8),
            (Column::Ran, 10),
            (Column::SourceModel, 31),
            (Column::SourceAccount, 12),
            (Column::Tags, 4),
        ]
    }

    /// The organisation demo's rows (`copyjobs demo --org-size 12
    /// --regions us-east-1,us-west-2,eu-central-1`), an `eu-central-1` row
    /// on screen, with what Created, Age and Ran hold.
    fn org_demo(created: u16, age: u16, ran: u16) -> [(Column, u16); 10] {
        [
            (Column::Status, 12),
            (Column::Name, 45),
            (Column::Account, 36),
            (Column::Region, 12),
            (Column::Created, created),
            (Column::Age, age),
            (Column::Ran, ran),
            (Column::SourceModel, 42),
            (Column::SourceAccount, 12),
            (Column::Tags, 4),
        ]
    }

    /// "data-platform-staging · 872975308755" is 36 cells: at 120 the
    /// account is whole (its id tells the rows apart) before the source
    /// model gets more than its least.
    #[test]
    fn an_account_gets_its_whole_label_before_the_source_model() {
        let wanted = [
            (Column::Status, 12),
            (Column::Name, 40),
            (Column::Account, 36),
            (Column::SourceModel, 48),
        ];
        let laid = lay_out(120, &wanted);
        assert_eq!(width_of(&laid, Column::Account), Some(36), "{laid:?}");
        assert_eq!(width_of(&laid, Column::Name), Some(40), "{laid:?}");
        assert!(width_of(&laid, Column::SourceModel) < Some(48), "{laid:?}");
    }

    /// The organisation demo's table at 160 columns (`copyjobs demo
    /// --org-size 12 --regions us-east-1,us-west-2,eu-central-1`): its
    /// longest account label is `data-platform-sandbox · 250824832504`,
    /// 36 cells, and it is whole; the name keeps its 32.
    #[test]
    fn at_160_columns_an_organisations_account_labels_are_whole() {
        let wanted = org_demo(16, 3, 7);
        let laid = lay_out(160, &wanted);
        assert_eq!(columns(&laid).len(), 10, "{laid:?}");
        assert_eq!(width_of(&laid, Column::Account), Some(36), "{laid:?}");
        assert_eq!(width_of(&laid, Column::Name), Some(32), "{laid:?}");
        assert_eq!(laid.iter().map(|l| l.width + 1).sum::<u16>(), 160);
        // At 80, one region's rows (`us-west-2`): the account keeps its
        // least, the names cut in their middle, where their ends differ.
        let mut one_region = wanted;
        one_region[3].1 = 9;
        let laid = lay_out(80, &one_region);
        assert_eq!(width_of(&laid, Column::Account), Some(14), "{laid:?}");
        assert_eq!(
            fit(Column::Account, "data-platform-sandbox · 250824832504", 14),
            "data-p…sandbox"
        );
        assert_eq!(
            fit(Column::Account, "data-platform-staging · 942480463331", 14),
            "data-p…staging"
        );
    }

    /// The organisation demo's rows at 80×24 with an `eu-central-1` row
    /// and an ETA (`29s · ~26m left`, 15 cells) on screen: the account
    /// stays (rows of 12 accounts show), Ran gives way first (the
    /// dashboard then tries it without its estimate, `run 29s`).
    #[test]
    fn at_80_columns_the_account_outlasts_the_region_and_ran() {
        let mut wanted = org_demo(11, 3, 15);
        let laid = lay_out(80, &wanted);
        assert_eq!(
            columns(&laid),
            [
                Column::Status,
                Column::Name,
                Column::Account,
                Column::Region
            ],
            "{laid:?}"
        );
        assert_eq!(width_of(&laid, Column::Account), Some(14));
        // `run 29s` and no `eu-central-1` row: Ran fits beside them.
        wanted[3].1 = 9;
        wanted[6].1 = 7;
        let laid = lay_out(80, &wanted);
        assert_eq!(width_of(&laid, Column::Account), Some(14), "{laid:?}");
        assert_eq!(width_of(&laid, Column::Ran), Some(7), "{laid:?}");
        // Narrower still, the region goes before the account.
        let laid = lay_out(70, &wanted);
        assert_eq!(
            columns(&laid),
            [Column::Status, Column::Name, Column::Account],
            "{laid:?}"
        );
    }

    /// At 160 columns with ETAs on screen (Ran 17 cells, Age 8, Created
    /// 16): the account's whole label (36 cells) before Tags and the
    /// source account, which the job's detail holds; Created and the
    /// source model stay, as the room allows.
    #[test]
    fn at_160_columns_the_whole_account_label_comes_before_tags() {
        let wanted = org_demo(16, 8, 17);
        let laid = lay_out(160, &wanted);
        assert_eq!(width_of(&laid, Column::Account), Some(36), "{laid:?}");
        assert_eq!(width_of(&laid, Column::Name), Some(35), "{laid:?}");
        assert_eq!(
            columns(&laid),
            [
                Column::Status,
                Column::Name,
                Column::Account,
                Column::Region,
                Column::Created,
                Column::Age,
                Column::Ran,
                Column::SourceModel,
            ]
        );
        // Where even without every optional column the label cannot be
        // whole, none is left out for it.
        let laid = lay_out(100, &wanted);
        assert_eq!(width_of(&laid, Column::Account), Some(14), "{laid:?}");
    }

    #[test]
    fn short_columns_get_their_text_and_the_name_the_rest() {
        let laid = lay_out(100, &demo());
        assert_eq!(
            width_of(&laid, Column::Region),
            Some(9),
            "not 14 for 9 letters"
        );
        assert_eq!(
            width_of(&laid, Column::Age),
            Some(8),
            "181d 22h keeps its unit"
        );
        assert!(width_of(&laid, Column::Name).unwrap() >= 32, "{laid:?}");
        assert_eq!(laid.iter().map(|l| l.width + 1).sum::<u16>(), 100);
        // Wide: everything at its longest text, the spare room to the name.
        let laid = lay_out(200, &demo());
        assert_eq!(columns(&laid).len(), 9);
        assert_eq!(width_of(&laid, Column::SourceModel), Some(31));
        assert_eq!(laid.iter().map(|l| l.width + 1).sum::<u16>(), 200);
    }

    #[test]
    fn narrow_terminals_drop_the_least_needed_columns_first() {
        // Ran (the ETAs) stays; Created, then Age give way first.
        let at80 = columns(&lay_out(80, &demo()));
        assert_eq!(
            at80,
            [
                Column::Status,
                Column::Name,
                Column::Region,
                Column::Age,
                Column::Ran,
            ]
        );
        // With ETAs ("12m · ~6m left") Ran is wider: Age gives way too.
        let etas: Vec<(Column, u16)> = demo()
            .into_iter()
            .map(|(c, w)| (c, if c == Column::Ran { 17 } else { w }))
            .collect();
        let laid = lay_out(80, &etas);
        assert_eq!(
            columns(&laid),
            [Column::Status, Column::Name, Column::Region, Column::Ran]
        );
        assert_eq!(width_of(&laid, Column::Ran), Some(17), "whole");
        // One region: no Region column, and Ran fits beside a 32-cell name.
        let one: Vec<(Column, u16)> = demo()
            .into_iter()
            .filter(|(c, _)| *c != Column::Region)
            .collect();
        assert!(columns(&lay_out(80, &one)).contains(&Column::Ran));
        assert_eq!(
            columns(&lay_out(20, &demo())),
            [Column::Status, Column::Name]
        );
        let tiny = lay_out(10, &demo());
        assert!(tiny.iter().map(|l| l.width + 1).sum::<u16>() <= 10);
    }

    #[test]
    fn arns_keep_a_readable_tail_and_order_is_kept() {
        let wanted = [
            (Column::JobArn, 70),
            (Column::Status, 12),
            (Column::KmsKey, 40),
            (Column::Name, 20),
        ];
        let laid = lay_out(100, &wanted);
        assert_eq!(
            columns(&laid),
            [Column::JobArn, Column::Status, Column::KmsKey, Column::Name]
        );
        assert_eq!(width_of(&laid, Column::Name), Some(20), "all of its text");
        assert_eq!(width_of(&laid, Column::JobArn), Some(48), "then the ARN");
    }
}
