//! Everything a config can say besides the parameters, declared once for `bmu-sim params` and
//! for "did you mean" ([`did_you_mean`]): the run-level keys and tables, the fields of an
//! intervention, and what each intervention kind is.

use super::interventions::Kind;
use super::params::PARAMS;

/// A key a config accepts: its name, default and meaning.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Key {
    pub key: &'static str,
    pub default: &'static str,
    pub meaning: &'static str,
}

const fn key(key: &'static str, default: &'static str, meaning: &'static str) -> Key {
    Key { key, default, meaning }
}

/// The run-level keys and tables, at the top of a config (the keys also `--set KEY=VALUE`).
pub const RUN_KEYS: [Key; 21] = [
    key("seed", "0", "master seed, 0 to 2^64 - 1; replicate r uses the same streams in every scenario"),
    key("replicates", "1", "replicates per scenario, 1 to 1000000"),
    key("days", "365", "the recorded period after the spin-up, in days (at most 10^7)"),
    key("years", "1", "the recorded period in years of 365 days (instead of days)"),
    key("spinup_days", "0", "simulated before day 0 and not recorded"),
    key("spinup_years", "0", "the spin-up in years (instead of spinup_days)"),
    key("record_every_days", "1", "one timeseries.csv row per run this often, and at the last day"),
    key("bone_law", "\"coupled\"", "\"coupled\" (the remodelling cycle) or \"komarova2003\" (the published law)"),
    key("hypothesis", "\"knockout_evidence\"", "what mitophagy does: \"knockout_evidence\" or \"review\""),
    key("reference", "the first scenario", "the scenario effects are taken against"),
    key(
        "common_random_numbers",
        "true",
        "pair replicates across scenarios (false: independent streams, Welch intervals)",
    ),
    key("plots", "true", "write plots/ and index.html"),
    key(
        "headline",
        "the targets' metric, else bone_density",
        "list of timeseries.csv metrics the table, page and first figures lead with: [\"spine_bmd\", ...]",
    ),
    key(
        "posterior",
        "none",
        "a fit's posterior.csv: each pair of replicates draws its parameters from its last population",
    ),
    key("params", "", "table: parameters for every scenario, and the untreated reference"),
    key("intervention", "", "array of tables: every scenario's background interventions"),
    key("scenario", "", "array of tables: name, description, hypothesis, params, intervention"),
    key(
        "target",
        "",
        "array of tables: scenario, metric, day, relative, from_baseline, low and high or estimate with se or ci95, held_out, source",
    ),
    key("sweep", "", "table: mode, day and the parameters to sweep"),
    key("contrast", "", "array of tables: name, a, b (a - b), and c, d for an interaction (a - b) - (c - d)"),
    key("population", "", "table: parameter = { median, cv } | { mean, sd } | { low, high }; each replicate a patient"),
];

/// The fields of an `[[intervention]]` or `[[scenario.intervention]]` table.
pub const INTERVENTION_FIELDS: [Key; 14] = [
    key("kind", "required", "what it is (the kinds below)"),
    key("start_day", "0", "the day it starts; negative days fall in the spin-up"),
    key("end_day", "never", "the day it stops (exclusive); after start_day"),
    key("ramp_days", "0", "a linear ramp at each end of the window"),
    key("strength", "1", "the level at full effect; its range depends on the kind"),
    key("key", "", "kind = \"parameter\": the parameter to change"),
    key("scale", "", "kind = \"parameter\": multiply the key by this at full level"),
    key("set", "", "kind = \"parameter\": set the key to this at full level"),
    key(
        "agent",
        "the kind's first",
        "a regimen: the drug (denosumab; alendronate, risedronate, zoledronate; teriparatide; \
         abaloparatide; romosozumab)",
    ),
    key(
        "dose",
        "",
        "a regimen: one dose, in the agent's unit (mg; teriparatide, abaloparatide µg), in its sourced range",
    ),
    key("route", "the agent's", "a regimen: oral, iv or sc; must be the one its kinetics are for"),
    key("every_days", "", "a regimen: days between doses"),
    key("doses", "1", "a regimen: how many doses, from start_day"),
    key("until_day", "", "a regimen: the last day a dose may fall on (instead of doses)"),
];

impl Kind {
    /// What the intervention is, in a line.
    pub fn about(self) -> &'static str {
        match self {
            Kind::EstrogenLoss => {
                "menopause or ovariectomy: RANKL up, osteoclast apoptosis, osteoblast work and thiols down"
            }
            Kind::Denosumab => "an antibody that neutralises RANKL",
            Kind::Bisphosphonate => {
                "alendronate and kin: a dose that binds bone and poisons the osteoclasts resorbing it"
            }
            Kind::Teriparatide => "intermittent PTH: more osteoblast work and activation",
            Kind::Abaloparatide => "a PTHrP analogue: more osteoblast work, less activation than teriparatide",
            Kind::Romosozumab => "a sclerostin antibody: formation up, waning within a year; RANKL partly blocked",
            Kind::Antioxidant => "NAC or MitoTEMPO: more antioxidant capacity",
            Kind::Pink1Knockout => "PINK1 loss: no tagging of depolarised mitochondria",
            Kind::ParkinOverexpression => "more Parkin: faster PINK1/Parkin mitophagy",
            Kind::MitophagyInducer => "urolithin A: faster mitophagy by both pathways",
            Kind::Mdivi1 => "a Drp1 (fission) inhibitor: slower mitophagy by both pathways",
            Kind::Bnip3Knockdown => "less BNIP3/NIX/FUNDC1 receptor mitophagy",
            Kind::Hypoxia => "less oxygen: more receptor mitophagy",
            Kind::Pgc1bLoss => "PGC-1β loss: less mitochondrial biogenesis",
            Kind::Parameter => "scale or set one parameter key on the window",
        }
    }
}

/// Other names users give the kinds (drugs and synonyms), for "did you mean".
const SYNONYMS: [(&str, Kind); 12] = [
    ("alendronate", Kind::Bisphosphonate),
    ("zoledronate", Kind::Bisphosphonate),
    ("risedronate", Kind::Bisphosphonate),
    ("ibandronate", Kind::Bisphosphonate),
    ("prolia", Kind::Denosumab),
    ("pth", Kind::Teriparatide),
    ("evenity", Kind::Romosozumab),
    ("menopause", Kind::EstrogenLoss),
    ("ovariectomy", Kind::EstrogenLoss),
    ("nac", Kind::Antioxidant),
    ("urolithin_a", Kind::MitophagyInducer),
    ("pink1", Kind::Pink1Knockout),
];

/// The known name `name` was most likely meant to be, if one is close enough: the kind a synonym
/// names, or else the nearest by Jaro–Winkler similarity (at least 0.8, as `strsim` computes it).
pub fn suggestion<'a>(name: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lower = name.to_ascii_lowercase();
    let known: Vec<&str> = known.into_iter().collect();
    if let Some((_, kind)) = SYNONYMS.iter().find(|(s, _)| *s == lower) {
        return known.iter().copied().find(|k| *k == kind.name());
    }
    known
        .into_iter()
        .map(|k| (strsim::jaro_winkler(&lower, k), k))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k)
}

/// `" (did you mean `x`?)"` for [`suggestion`], or nothing.
pub fn did_you_mean<'a>(name: &str, known: impl IntoIterator<Item = &'a str>) -> String {
    suggestion(name, known).map_or_else(String::new, |k| format!(" (did you mean `{k}`?)"))
}

/// Every key a config or `--set` may name at the top level: run keys and parameters.
pub fn top_level_keys() -> impl Iterator<Item = &'static str> {
    RUN_KEYS.iter().map(|k| k.key).chain(param_keys())
}

/// Every parameter key.
pub fn param_keys() -> impl Iterator<Item = &'static str> {
    PARAMS.iter().map(|p| p.key)
}

/// Every intervention kind's config name.
pub fn kind_names() -> impl Iterator<Item = &'static str> {
    Kind::ALL.iter().map(|(_, n)| *n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_and_synonyms_find_what_was_meant() {
        assert_eq!(suggestion("damage_per_dya", top_level_keys()), Some("damage_per_day"));
        assert_eq!(suggestion("replicate", top_level_keys()), Some("replicates"));
        assert_eq!(suggestion("alendronate", kind_names()), Some("bisphosphonate"));
        assert_eq!(suggestion("Denosumab", kind_names()), Some("denosumab"));
        assert_eq!(suggestion("pink1_knokout", kind_names()), Some("pink1_knockout"));
        assert_eq!(suggestion("zzz", kind_names()), None, "nothing close: no guess");
        assert_eq!(did_you_mean("zzz", ["a"]), "");
        assert_eq!(did_you_mean("mean_atpp", ["mean_atp", "mean_ros"]), " (did you mean `mean_atp`?)");
    }

    #[test]
    fn every_kind_and_field_is_described() {
        for (kind, name) in Kind::ALL {
            assert!(!kind.about().is_empty(), "{name}");
        }
        let mut keys: Vec<_> = top_level_keys().collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), RUN_KEYS.len() + PARAMS.len(), "a run key is also a parameter");
    }
}
