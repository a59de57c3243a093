//! Reading a dosing regimen from an intervention table (`config/dosing.rs` says what it means).

use super::dosing::{AGENTS, Agent, Dosing, Route};
use super::interventions::Kind;
use super::keys::did_you_mean;
use super::located::{ConfigError, Doc, Entry};
use super::params::Value;

/// The intervention keys that make it a regimen.
pub(super) const DOSING_KEYS: [&str; 6] = ["agent", "dose", "route", "every_days", "doses", "until_day"];

/// The most doses a regimen may give: a daily dose for a century.
const MAX_DOSES: i64 = 36_525;

impl Doc<'_> {
    /// The regimen written in `entries` (the intervention's [`DOSING_KEYS`]) for an intervention of
    /// `kind` whose first dose is on `start_day`; `at` locates the table.
    pub(super) fn dosing(
        &self,
        kind: Kind,
        start_day: f64,
        entries: &[Entry],
        prefix: &str,
        at: &std::ops::Range<usize>,
    ) -> Result<Dosing, ConfigError> {
        let (mut agent, mut dose, mut route, mut every, mut doses, mut until) = (None, None, None, None, None, None);
        for (k, v) in entries {
            let key = format!("{prefix}.{}", k.get_ref());
            match k.get_ref().as_ref() {
                "agent" => {
                    let name = self.string(v, &key)?;
                    let a = Agent::from_name(&name).ok_or_else(|| {
                        let known: Vec<&str> = AGENTS.iter().map(|s| s.name).collect();
                        let hint = did_you_mean(&name, known.iter().copied());
                        self.err(
                            &v.span(),
                            &key,
                            format!("no kinetics for `{name}`{hint}; known: {}", known.join(", ")),
                        )
                    })?;
                    if a.spec().kind != kind {
                        return Err(self.err(
                            &v.span(),
                            &key,
                            format!("{name} is not a {kind} (it is a {})", a.spec().kind),
                        ));
                    }
                    agent = Some(a);
                }
                "dose" => dose = Some((self.float(v, &key, f64::MIN)?, v.span(), key)),
                "route" => route = Some((self.string(v, &key)?, v.span(), key)),
                "every_days" => every = Some((self.float(v, &key, 0.0)?, v.span(), key)),
                "doses" => doses = Some((self.value(v, &key)?, v.span(), key)),
                _ => until = Some((self.float(v, &key, -1e7)?, v.span(), key)),
            }
        }
        let agent = match agent.or_else(|| Agent::default_of(kind)) {
            Some(a) => a,
            None => {
                return Err(self.err(
                    at,
                    &format!("{prefix}.dose"),
                    format!("{kind} has no dosing regimen: give a window"),
                ));
            }
        };
        let spec = agent.spec();
        let (dose, dose_span, dose_key) =
            dose.ok_or_else(|| self.err(at, &format!("{prefix}.dose"), "a regimen needs a `dose`"))?;
        let (low, high) = spec.doses;
        if !(low..=high).contains(&dose) {
            let msg = format!("{} was sourced for doses of {low} to {high} {} (got {dose})", spec.name, spec.unit);
            return Err(self.err(&dose_span, &dose_key, msg));
        }
        if let Some((name, span, key)) = route {
            match Route::from_name(&name) {
                Some(r) if r == spec.route => {}
                Some(_) => {
                    let msg = format!(
                        "{} is given {} here (its kinetics are for that route), not {name}",
                        spec.name,
                        spec.route.name()
                    );
                    return Err(self.err(&span, &key, msg));
                }
                None => return Err(self.err(&span, &key, format!("unknown route `{name}`; known: oral, iv, sc"))),
            }
        }
        let (every_days, doses) = match (every, doses, until) {
            (None, None, None) => (1.0, 1),
            (None, Some((count, span, key)), None) => match self.count(count, &span, &key)? {
                1 => (1.0, 1),
                _ => return Err(self.err(&span, &key, "repeated doses need `every_days`")),
            },
            (None, _, Some((_, span, key))) => return Err(self.err(&span, &key, "`until_day` needs `every_days`")),
            (Some((e, span, key)), ..) if e <= 0.0 => return Err(self.err(&span, &key, "must be > 0")),
            (Some(_), Some(_), Some((_, span, key))) => {
                return Err(self.err(&span, &key, "give either `doses` or `until_day`, not both"));
            }
            (Some((e, _, _)), Some((count, span, key)), None) => (e, self.count(count, &span, &key)?),
            (Some((e, _, _)), None, Some((last, span, key))) => {
                if last < start_day {
                    return Err(self.err(&span, &key, "must be on or after start_day"));
                }
                (e, self.count(Value::Int(((last - start_day) / e).floor() as i64 + 1), &span, &key)?)
            }
            (Some((_, span, key)), None, None) => {
                return Err(self.err(&span, &key, "a repeated dose needs `doses` or `until_day`"));
            }
        };
        Ok(Dosing { agent, dose, every_days, doses })
    }

    fn count(&self, v: Value, span: &std::ops::Range<usize>, key: &str) -> Result<u32, ConfigError> {
        match v {
            Value::Int(n) if (1..=MAX_DOSES).contains(&n) => Ok(n as u32),
            other => {
                Err(self.err(span, key, format!("expected a whole number of doses from 1 to {MAX_DOSES}, got {other}")))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::config::{Agent, Config, Dosing, Overrides};

    fn read(intervention: &str) -> Result<Config, crate::config::ConfigError> {
        let text = format!("[[scenario]]\nname = \"a\"\n[[scenario.intervention]]\n{intervention}\n");
        Config::parse("r.toml", &text, &Overrides::default())
    }

    #[test]
    fn a_regimen_is_read_with_its_doses() {
        let config =
            read("kind = \"denosumab\"\nstart_day = 10\ndose = 60\nevery_days = 182.5\nuntil_day = 740").unwrap();
        let i = &config.scenarios[0].interventions[0];
        assert_eq!(i.dosing, Some(Dosing { agent: Agent::Denosumab, dose: 60.0, every_days: 182.5, doses: 5 }));
        let once = read("kind = \"bisphosphonate\"\nagent = \"zoledronate\"\nroute = \"iv\"\ndose = 5").unwrap();
        let d = once.scenarios[0].interventions[0].dosing.unwrap();
        assert_eq!((d.agent, d.doses), (Agent::Zoledronate, 1));
        let romo = read("kind = \"romosozumab\"\ndose = 210\nevery_days = 30.4375\ndoses = 12").unwrap();
        let d = romo.scenarios[0].interventions[0].dosing.unwrap();
        assert_eq!((d.agent, d.dose, d.doses), (Agent::Romosozumab, 210.0, 12));
        let abalo = read("kind = \"abaloparatide\"\ndose = 80\nevery_days = 1\ndoses = 548").unwrap();
        assert_eq!(abalo.scenarios[0].interventions[0].dosing.unwrap().agent, Agent::Abaloparatide);
    }

    #[test]
    fn a_regimen_that_cannot_be_given_is_refused_at_its_key() {
        let cases = [
            ("kind = \"denosumab\"\ndose = 0", "dose", "sourced for doses of 6 to 210 mg"),
            ("kind = \"denosumab\"\ndose = 600", "dose", "sourced for doses"),
            ("kind = \"denosumab\"\ndose = -60", "dose", "sourced for doses of 6 to 210 mg"),
            (
                "kind = \"bisphosphonate\"\nagent = \"ibandronate\"\ndose = 150",
                "agent",
                "no kinetics for `ibandronate`",
            ),
            ("kind = \"bisphosphonate\"\nagent = \"denosumab\"\ndose = 60", "agent", "is not a bisphosphonate"),
            ("kind = \"bisphosphonate\"\nagent = \"zoledronate\"\nroute = \"oral\"\ndose = 5", "route", "given iv"),
            ("kind = \"teriparatide\"\ndose = 20\nevery_days = 0\ndoses = 3", "every_days", "must be > 0"),
            ("kind = \"teriparatide\"\ndose = 20\nevery_days = 1", "every_days", "needs `doses` or `until_day`"),
            ("kind = \"teriparatide\"\ndose = 20\ndoses = 0", "doses", "whole number"),
            ("kind = \"teriparatide\"\ndose = 20\ndoses = 3", "doses", "need `every_days`"),
            ("kind = \"antioxidant\"\ndose = 1", "dose", "no dosing regimen"),
            ("kind = \"denosumab\"\ndose = 60\nend_day = 100", "end_day", "only to a window"),
            ("kind = \"denosumab\"\nevery_days = 100\ndoses = 2", "dose", "needs a `dose`"),
            ("kind = \"romosozumab\"\ndose = 420\nevery_days = 30\ndoses = 12", "dose", "70 to 210 mg (got 420)"),
            ("kind = \"romosozumab\"\ndose = 35", "dose", "sourced for doses of 70 to 210 mg"),
            ("kind = \"abaloparatide\"\ndose = 160\nevery_days = 1\ndoses = 3", "dose", "20 to 80 µg (got 160)"),
            ("kind = \"abaloparatide\"\nagent = \"teriparatide\"\ndose = 20", "agent", "is not a abaloparatide"),
            ("kind = \"romosozumab\"\ndose = 210\nroute = \"iv\"", "route", "given sc"),
        ];
        for (body, key, message) in cases {
            let e = read(body).expect_err(body);
            assert!(e.key.ends_with(key) && e.message.contains(message) && e.line > 0, "{body}: {e}");
        }
    }
}
