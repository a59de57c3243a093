//! A tissue at the end of its spin-up, kept so that several scenarios can start from it.
//!
//! Scenarios whose spin-ups are identical (same parameters, same interventions before day 0,
//! common random numbers: `ensemble::spinup_group`) would compute the same tissue at day 0 from
//! the same streams. [`DayZero::of`] keeps that tissue once (every entity with its components,
//! and the state resources); [`DayZero::restore`] builds each scenario's world from it, with the
//! scenario's own regimen. Every run of a config starts from a restored day 0, shared or not,
//! so a result does not depend on which scenarios ran together, on threads or on shards.
//!
//! The rule resources (the regimen, the reference steady state, the streams and those the
//! plugins derive from the reference) are the scenario's own, built as for a fresh world; the
//! state resources below are copied. A component or state resource added to the model must be
//! added here: `tests` checks that a spun-up tissue is kept whole.

use crate::model::{
    AtSite, Bmu, Bone, CellId, Circulating, Clock, CompletedBmus, Cortical, Counters, Knobs, MitoReadout, Mitochondria,
    MitophagyCount, Modelling, Osteoclast, Precursor, PrecursorPool, Site, SiteCensus,
};
use crate::observe::Trail;
use crate::processes::bisphosphonate::BoneBisphosphonate;
use crate::processes::coupling::Coupling;
use crate::processes::osteomorphs::Osteomorphs;
use bevy_ecs::prelude::*;
use bevy_ecs::resource::IsResource;
use bevy_ecs::world::EntityRef;
use std::collections::HashMap;

/// One entity's components.
#[derive(Clone, Debug, Default, PartialEq)]
struct Kept {
    site: Option<Site>,
    bone: Option<Bone>,
    bmu: Option<Bmu>,
    modelling: Option<Modelling>,
    cortical: bool,
    id: Option<CellId>,
    at: Option<AtSite>,
    precursor: Option<Precursor>,
    osteoclast: Option<Osteoclast>,
    circulating: bool,
    mitochondria: Option<Mitochondria>,
    readout: Option<MitoReadout>,
}

impl Kept {
    fn of(e: &EntityRef) -> Kept {
        Kept {
            site: e.get().copied(),
            bone: e.get().copied(),
            bmu: e.get().copied(),
            modelling: e.get().copied(),
            cortical: e.contains::<Cortical>(),
            id: e.get().copied(),
            at: e.get().copied(),
            precursor: e.get().copied(),
            osteoclast: e.get().copied(),
            circulating: e.contains::<Circulating>(),
            mitochondria: e.get().cloned(),
            readout: e.get().copied(),
        }
    }

    /// How many components this keeps.
    fn components(&self) -> usize {
        let some = [
            self.site.is_some(),
            self.bone.is_some(),
            self.bmu.is_some(),
            self.modelling.is_some(),
            self.cortical,
            self.id.is_some(),
            self.at.is_some(),
            self.precursor.is_some(),
            self.osteoclast.is_some(),
            self.circulating,
            self.mitochondria.is_some(),
            self.readout.is_some(),
        ];
        some.iter().filter(|&&s| s).count()
    }

    fn spawn(&self, world: &mut World) -> Entity {
        let mut e = world.spawn_empty();
        let k = self.clone();
        k.site.map(|c| e.insert(c));
        k.bone.map(|c| e.insert(c));
        k.bmu.map(|c| e.insert(c));
        k.modelling.map(|c| e.insert(c));
        k.cortical.then(|| e.insert(Cortical));
        k.id.map(|c| e.insert(c));
        k.at.map(|c| e.insert(c));
        k.precursor.map(|c| e.insert(c));
        k.osteoclast.map(|c| e.insert(c));
        k.circulating.then(|| e.insert(Circulating));
        k.mitochondria.map(|c| e.insert(c));
        k.readout.map(|c| e.insert(c));
        e.id()
    }
}

/// The state resources: what the rules have changed since the world was built.
#[derive(Clone, Debug, PartialEq)]
struct State {
    clock: Clock,
    counters: Counters,
    mitophagy: MitophagyCount,
    completed: CompletedBmus,
    census: SiteCensus,
    knobs: Knobs,
    bound: BoneBisphosphonate,
    osteomorphs: Osteomorphs,
    coupling: Coupling,
}

/// A tissue at day 0: its entities in the order the world held them, the circulating pool as
/// positions among them, the state resources, and the turnover of the spin-up's last steps that
/// the markers take their baseline from (kept outside the world, which it does not change).
#[derive(Clone, Debug, PartialEq)]
pub struct DayZero {
    entities: Vec<Kept>,
    pool: Vec<usize>,
    state: State,
    pub(super) trail: Trail,
}

impl DayZero {
    /// Keep `world` as it is.
    pub fn of(world: &mut World) -> DayZero {
        let mut positions = HashMap::new();
        let mut entities = Vec::new();
        for e in world.query_filtered::<EntityRef, Without<IsResource>>().iter(world) {
            positions.insert(e.id(), entities.len());
            entities.push(Kept::of(&e));
        }
        let pool = world.resource::<PrecursorPool>().0.iter().map(|e| positions[e]).collect();
        let state = State {
            clock: *world.resource(),
            counters: *world.resource(),
            mitophagy: *world.resource(),
            completed: world.resource::<CompletedBmus>().clone(),
            census: world.resource::<SiteCensus>().clone(),
            knobs: world.resource::<Knobs>().clone(),
            bound: *world.resource(),
            osteomorphs: *world.resource(),
            coupling: *world.resource(),
        };
        DayZero { entities, pool, state, trail: Trail::default() }
    }

    /// Put this tissue into `world`, a world built with every resource and no entities.
    pub fn restore(&self, world: &mut World) {
        let spawned: Vec<Entity> = self.entities.iter().map(|k| k.spawn(world)).collect();
        world.insert_resource(PrecursorPool(self.pool.iter().map(|&i| spawned[i]).collect()));
        let s = self.state.clone();
        world.insert_resource(s.clock);
        world.insert_resource(s.counters);
        world.insert_resource(s.mitophagy);
        world.insert_resource(s.completed);
        world.insert_resource(s.census);
        world.insert_resource(s.knobs);
        world.insert_resource(s.bound);
        world.insert_resource(s.osteomorphs);
        world.insert_resource(s.coupling);
    }

    /// Components of `world`'s entities that a [`DayZero`] would not keep (0 when it keeps
    /// them all).
    pub fn missed(world: &mut World) -> usize {
        world
            .query_filtered::<EntityRef, Without<IsResource>>()
            .iter(world)
            .map(|e| e.archetype().component_count() - Kept::of(&e).components())
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Config, Overrides};
    use crate::ensemble;
    use crate::model::Streams;
    use crate::sim::{Setup, Simulation};
    use std::sync::atomic::AtomicU64;

    /// A small tissue with every kind of entity by day 0: cancellous and cortical sites, BMUs,
    /// precursors, osteoclasts, the circulating pool; bisphosphonate bound and modelling-based
    /// formation before day 0.
    const TISSUE: &str = "replicates = 1\ndays = 30\nspinup_days = 120\n[params]\nsites = 40\ncortical_sites = 10\n\
        precursor_pool_cells = 6\nmitochondria_per_cell = 20\n\
        [[intervention]]\nkind = \"bisphosphonate\"\nstart_day = -20\n\
        [[intervention]]\nkind = \"teriparatide\"\nstart_day = -100\n\
        [[scenario]]\nname = \"a\"\n[[scenario]]\nname = \"b\"\n[[scenario.intervention]]\nkind = \"denosumab\"\nstart_day = 0\n";

    fn spun_up(config: &Config, s: usize) -> (Simulation, DayZero) {
        let steady = ensemble::untreated_state(config).expect("steady state");
        let setup = Setup { law: config.bone_law, reference: &config.reference, steady: &steady };
        let mut sim = Simulation::new(setup, &config.scenarios[s], Streams::new(config.seed, 0), config.spinup_days);
        sim.spin_up(&AtomicU64::new(0));
        let day_zero = sim.day_zero();
        (sim, day_zero)
    }

    /// The entities as a multiset (a restored world may iterate them in another order).
    fn sorted(d: &DayZero) -> Vec<String> {
        let mut v: Vec<String> = d.entities.iter().map(|k| format!("{k:?}")).collect();
        v.sort();
        v
    }

    #[test]
    fn a_spun_up_tissue_is_kept_whole_and_restored_as_it_was() {
        let config = Config::parse("test", TISSUE, &Overrides::default()).expect("valid");
        let (mut sim, day_zero) = spun_up(&config, 0);
        let world = sim.world_mut();
        assert_eq!(DayZero::missed(world), 0, "a component of the tissue is not kept");
        let kinds = |f: fn(&Kept) -> bool| day_zero.entities.iter().filter(|k| f(k)).count();
        let found = (kinds(|k| k.bmu.is_some()), kinds(|k| k.osteoclast.is_some()), kinds(|k| k.cortical));
        assert!(found.0 > 0 && found.1 > 0 && found.2 > 0, "{found:?}");
        assert!(kinds(|k| k.modelling.is_some()) > 0, "no modelling-based formation before day 0");
        assert!(day_zero.state.bound != BoneBisphosphonate::default(), "nothing bound before day 0");
        // Every resource of the world is a rule built afresh or a state kept here.
        use crate::model::{SteadyState, Streams as S};
        use crate::processes::interventions::ScenarioRules;
        use std::any::TypeId;
        let known = [
            TypeId::of::<Clock>(),
            TypeId::of::<Counters>(),
            TypeId::of::<MitophagyCount>(),
            TypeId::of::<CompletedBmus>(),
            TypeId::of::<SiteCensus>(),
            TypeId::of::<Knobs>(),
            TypeId::of::<BoneBisphosphonate>(),
            TypeId::of::<Osteomorphs>(),
            TypeId::of::<Coupling>(),
            TypeId::of::<PrecursorPool>(),
            TypeId::of::<ScenarioRules>(),
            TypeId::of::<SteadyState>(),
            TypeId::of::<S>(),
            TypeId::of::<bevy_ecs::schedule::Schedules>(),
        ];
        let types =
            |w: &World| -> Vec<Option<TypeId>> { w.iter_resources().map(|(_, info, _)| info.type_id()).collect() };
        // bevy's own: those of a bare world that has run a schedule, and its schedules.
        let mut bare = World::new();
        Schedule::default().run(&mut bare);
        let bevy = types(&bare);
        let unknown = types(world).into_iter().filter(|t| !bevy.contains(t) && !t.is_some_and(|t| known.contains(&t)));
        assert_eq!(unknown.count(), 0, "a resource is neither kept here nor a rule built afresh");
        let mut restored = crate::sim::world_with_rules(
            &config.reference,
            &ensemble::untreated_state(&config).expect("st"),
            Streams::new(1, 0),
        );
        day_zero.restore(&mut restored);
        let again = DayZero::of(&mut restored);
        assert_eq!(sorted(&again), sorted(&day_zero));
        assert_eq!(again.state, day_zero.state);
        let pool_ids = |d: &DayZero| d.pool.iter().map(|&i| d.entities[i].id).collect::<Vec<_>>();
        assert_eq!(pool_ids(&again), pool_ids(&day_zero), "the circulating pool, in order");
    }

    #[test]
    fn scenarios_that_differ_only_after_day_zero_spin_up_to_the_same_tissue() {
        let config = Config::parse("test", TISSUE, &Overrides::default()).expect("valid");
        assert_eq!(ensemble::spinup_group(&config, 1), 0, "b shares a's spin-up");
        assert_eq!(spun_up(&config, 0).1, spun_up(&config, 1).1);
        let apart = Config::parse("test", &TISSUE.replace("start_day = 0", "start_day = -1"), &Overrides::default());
        assert_eq!(ensemble::spinup_group(&apart.expect("valid"), 1), 1, "denosumab before day 0 spins up alone");
    }
}
