//! Every model parameter, declared once: name (with its unit), type, default, allowed range and
//! meaning. The table generates the validated [`Params`] struct, its defaults, the key lookup the
//! config reader uses, and the parameter reference in `docs/parameters.md` (`bmu-sim params`
//! prints it, after it the run-level keys and intervention kinds of [`keys`](super::keys)).
//!
//! Defaults are the untreated adult (docs/model.md §1.4): run on them, a tissue stays steady. The
//! cell kernel is the published Komarova 2003 one (Bone 33:206), the coupled remodelling cycle is
//! sized to adult trabecular bone, and the mitochondrial rules follow docs/model.md §1.3.
//! Configs that reproduce a published single cycle set its values themselves
//! (`configs/komarova2003.toml`). The processes that use a parameter document where its value
//! comes from and how sure it is.

pub use super::values::{ParamSpec, Range, Value, ValueError};
use super::values::{check_float, check_integer, check_switch, params};

params! {
    // ---- tissue, time ----
    /// Number of remodelling sites in the simulated bone region.
    sites: u32 = 1, Count;
    /// Population scale Ω: agents per model cell of the Komarova kernel.
    population_scale: f64 = 1.0, Positive;
    /// Cell and BMU time step (days).
    dt_days: f64 = 0.1, Positive;
    /// Longest mitochondrial sub-step (hours) of the sub-step scheme (`mito_exact = false`); the
    /// sub-step used is dt_days split evenly.
    mito_dt_hours: f64 = 1.0, Positive;
    /// Run mitochondria as the exact continuous-time process, with no sub-step (the default);
    /// false runs the first-order sub-step scheme, kept for the convergence study (docs/numerics.md).
    mito_exact: bool = true, Switch;
    /// BMU activation hazard at a quiescent site (per site per year), scaled by RANKL.
    activation_per_site_per_year: f64 = 0.8, NonNegative;
    /// Start every site with an activation pulse at day 0 (single-cycle experiments).
    pulse_at_start: bool = false, Switch;
    /// Safety bound on a BMU's age (days): under the coupled law a BMU still resorbing at this
    /// age stops resorbing (its osteoclasts leave); under the published law the BMU is closed.
    max_bmu_days: f64 = 400.0, Positive;
    // ---- Komarova 2003 kernel ----
    /// α1, osteoclast production (model cells per day).
    alpha1_per_day: f64 = 3.0, NonNegative;
    /// α2, osteoblast production (model cells per day).
    alpha2_per_day: f64 = 4.0, NonNegative;
    /// β1, osteoclast removal (per day).
    beta1_per_day: f64 = 0.2, Positive;
    /// β2, osteoblast removal (per day).
    beta2_per_day: f64 = 0.02, Positive;
    /// g11, osteoclast autocrine exponent (1.1 gives sustained cycles).
    g11: f64 = 0.5, Finite;
    /// g21, osteoblast → osteoclast paracrine exponent.
    g21: f64 = -0.5, Finite;
    /// g12, osteoclast → osteoblast paracrine exponent.
    g12: f64 = 1.0, Finite;
    /// g22, osteoblast autocrine exponent.
    g22: f64 = 0.0, Finite;
    /// k1, bone resorbed per excess osteoclast (% of site bone per model cell per day).
    k1_pct_per_cell_day: f64 = 0.24, NonNegative;
    /// k2, bone formed per excess osteoblast (% of site bone per model cell per day).
    k2_pct_per_cell_day: f64 = 0.0017, NonNegative;
    /// Osteoclasts added above steady state by an activation event (model cells).
    pulse_osteoclasts: f64 = 10.0, NonNegative;
    // ---- coupled remodelling cycle (bone_law = "coupled") ----
    /// k_res, bone eroded per osteoclast at activity 1 (% of site bone per model cell per day).
    resorption_pct_per_osteoclast_day: f64 = 0.45, NonNegative;
    /// Reversal: days from the last osteoclast's departure to the start of formation.
    reversal_days: f64 = 10.0, NonNegative;
    /// Mean working life of a BMU's osteoblast team, which sets the formation period (days).
    osteoblast_working_days: f64 = 130.0, Positive;
    /// Gamma shape of the team's working life (its coefficient of variation is 1/√shape).
    osteoblast_working_shape: f64 = 16.0, Positive;
    /// s, saturation of osteoblast recruitment in the osteoclastic drive κ: refill (1 + s)/(1 + s·κ).
    refill_saturation: f64 = 0.05, NonNegative;
    /// M_ob, osteoblast work relative to the untreated adult (below 1 with ageing).
    osteoblast_work: f64 = 1.0, NonNegative;
    /// Most bone a site can hold (% of its initial bone); formation stops there.
    max_site_bone_pct: f64 = 150.0, Positive;
    // ---- modelling-based formation (processes/modelling.rs) ----
    /// Bone one modelling-based formation packet lays down on a quiescent surface, without
    /// resorption, over an osteoblast working life (% of site bone).
    modelling_packet_pct: f64 = 38.0, NonNegative;
    /// Share of a site's modelling-formed bone that a BMU activated there while no anabolic acts
    /// resorbs and does not refill.
    modelling_giveback: f64 = 0.4, Probability;
    /// Circulating osteoclast precursors whose mitochondria new recruits copy.
    precursor_pool_cells: u32 = 64, Count;
    // ---- mitochondria ----
    /// H, the top mitochondrial health level (membrane-potential proxy, 1..=63).
    health_levels: u32 = 10, Count;
    /// N0, mitochondria per precursor or osteoclast at zero ROS.
    mitochondria_per_cell: u32 = 100, Count;
    /// λd, baseline damage hazard per mitochondrion (health levels lost per day).
    damage_per_day: f64 = 2.0, NonNegative;
    /// a_ros, relative increase of damage per unit of cell ROS.
    damage_ros_gain: f64 = 1.0, NonNegative;
    /// Fusion–fission encounters per mitochondrion per hour.
    fusion_per_hour: f64 = 5.0, NonNegative;
    /// Fusion as its fast limit (`fusion_per_hour` → ∞): the fusing mitochondria always share
    /// their health evenly (exact process only; docs/numerics.md).
    fusion_instant: bool = false, Switch;
    /// θfus: only mitochondria with health above this fuse.
    fusion_threshold: u32 = 3, Count;
    /// θdep: mitochondria at or below this health are depolarised (PINK1 is stabilised).
    depolarised_threshold: u32 = 3, Count;
    /// Tag depolarised mitochondria with PINK1 (false = PINK1 knock-out).
    pink1_tagging: bool = true, Switch;
    /// k_parkin, removal of PINK1-tagged mitochondria by Parkin-dependent mitophagy (per day).
    parkin_per_day: f64 = 0.5, NonNegative;
    /// k_receptor, BNIP3/NIX/FUNDC1 receptor-mediated removal at hypoxia 1 (per day).
    receptor_per_day: f64 = 0.15, NonNegative;
    /// s, receptor selectivity: w(h) = 1 + s·(H − h)/H.
    receptor_selectivity: f64 = 3.0, NonNegative;
    /// Hypoxia signal driving receptor mitophagy (1 = bone-marrow baseline).
    hypoxia: f64 = 1.0, NonNegative;
    /// k_bio, biogenesis per missing mitochondrion (per day).
    biogenesis_per_day: f64 = 5.0, NonNegative;
    /// b_ros, relative rise of the mitochondrial target count per unit of ROS (PGC-1β).
    biogenesis_ros_gain: f64 = 0.2, NonNegative;
    /// Upper bound on mitochondria per cell, as a multiple of N0.
    max_mitochondria_factor: f64 = 4.0, Positive;
    /// r_basal, ROS not of mitochondrial or RANKL origin (arbitrary ROS units).
    ros_basal: f64 = 0.1, NonNegative;
    /// Electron leak of a mitochondrion at health 0, per N0 mitochondria (ROS units); falls linearly to 0 at H.
    ros_leak: f64 = 1.0, NonNegative;
    /// r_rankl, NADPH-oxidase ROS per unit of RANKL signal (ROS units).
    ros_rankl: f64 = 0.2, NonNegative;
    /// Antioxidant capacity: ROS is divided by 1 + antioxidant.
    antioxidant: f64 = 0.0, NonNegative;
    /// RANKL signal relative to the untreated adult (scales activation, formation and Nox ROS).
    rankl: f64 = 1.0, NonNegative;
    /// K_L, RANKL (relative to the untreated adult) at which RANK occupancy, and so osteoclast
    /// formation, is half-saturated: formation × (1 + K_L)·RANKL/(K_L + RANKL).
    rankl_half_saturation: f64 = 0.1, Positive;
    /// Under the sub-step scheme, cells with N0 at or above this many mitochondria hold them as
    /// counts per health level (exact; faster for large cells, docs/performance.md), below it one
    /// byte per mitochondrion. The exact process always counts (the same results either way).
    count_mitochondria_from: u32 = 1000, Count;
    // ---- fates ----
    /// Fates ignore mitochondria (all multipliers exactly 1): the Komarova neutral limit.
    neutral_mitochondria: bool = false, Switch;
    /// Days a recruited precursor waits before it fuses into an osteoclast or dies.
    commitment_days: f64 = 1.0, NonNegative;
    /// p_max, the largest differentiation probability.
    diff_max: f64 = 0.9, Probability;
    /// K_up, ROS at which the NFATc1 (rising) Hill arm is half-maximal.
    diff_ros_half_up: f64 = 0.8, Positive;
    /// K_down, ROS at which the toxic (falling) Hill arm is half-maximal.
    diff_ros_half_down: f64 = 2.0, Positive;
    /// Hill exponent of the rising arm.
    diff_hill_up: f64 = 2.0, NonNegative;
    /// Hill exponent of the falling arm.
    diff_hill_down: f64 = 4.0, NonNegative;
    /// K_atp, ATP at which differentiation is half-supported.
    diff_atp_half: f64 = 0.1, NonNegative;
    /// c_dep, apoptosis gain per unit of depolarised fraction above baseline.
    apoptosis_depolarised_gain: f64 = 0.1, NonNegative;
    /// c_atp, apoptosis gain per unit of ATP below baseline.
    apoptosis_atp_gain: f64 = 0.0, NonNegative;
    /// e_atp, resorption activity a = (ATP/ATP0)^e_atp.
    resorption_atp_exponent: f64 = 0.2, Finite;
    /// RANKL signalling amplified by oxidative stress: RANKL × (ROS̄/ROS0)^g, ROS̄ the circulating
    /// precursors' mean ROS (TNF and oxidants raise osteoclastogenesis).
    rankl_ros_gain: f64 = 1.0, NonNegative;
    /// Review hypothesis: osteoclast differentiation × (φ/φ0)^h, φ the cell's mitophagy flux.
    mitophagy_differentiation_gain: f64 = 0.0, NonNegative;
    /// Review hypothesis: osteoclast apoptosis × (φ/φ0)^−h (mitophagy keeps osteoclasts alive).
    mitophagy_survival_gain: f64 = 0.0, NonNegative;
    /// Review hypothesis: resorption activity × (φ/φ0)^h.
    mitophagy_resorption_gain: f64 = 0.0, NonNegative;
    /// Osteoclast apoptosis multiplier of bone-bound bisphosphonate at full load (4–24× in studies).
    bisphosphonate_apoptosis_fold: f64 = 1.2, Positive;
    // ---- mineralisation ----
    /// Mineral fraction reached by primary mineralisation (1 = fully mineralised).
    primary_mineral_fraction: f64 = 0.7, Probability;
    /// Rate at which osteoid undergoes primary mineralisation (per day).
    osteoid_mineralization_per_day: f64 = 0.1, NonNegative;
    /// Rate at which mineralised matrix approaches full mineral (per year).
    secondary_mineralization_per_year: f64 = 0.3, NonNegative;
    /// Mineral fraction of the bone at the start of the spin-up (the default is the stationary
    /// value under the default turnover, from `bmu-sim calibrate`).
    initial_mineral_fraction: f64 = 0.858, Probability;
    // ---- cortical bone, and the lumbar-spine DXA readout ----
    /// Sites of cortical bone (vertebral shell, posterior elements) simulated beside the `sites`
    /// cancellous ones, under the same rules; they enter only `spine_bmd`.
    cortical_sites: u32 = 0, Integer;
    /// BMU activation hazard at a cortical site relative to a cancellous site's (cortical
    /// turnover ~3 %/year against ~25 %/year).
    cortical_activation_ratio: f64 = 0.12, NonNegative;
    /// w, the cancellous share of the anteroposterior lumbar-spine DXA signal: spine_bmd =
    /// w·bone_density + (1 − w)·cortical density (posterior elements 51.4 % of L3 BMC, Lee 2009;
    /// trabecular bone ~52 % of the vertebral body, Swanpalmer 1998: 0.486 × 0.52 ≈ 0.25).
    spine_cancellous_share: f64 = 0.25, Probability;
    /// Low end of the plausible w for postmenopausal spines, read out as `spine_bmd_low_w`:
    /// posterior elements at Lee 2009's mean + 2 SD (51.4 + 8.4 ≈ 60 % of BMC) × trabecular
    /// bone 40 % of the vertebral body \[U\]: 0.40 × 0.40 ≈ 0.15 (osteophytes, facet arthritis and
    /// aortic calcification add further non-trabecular signal in older spines).
    spine_cancellous_share_low: f64 = 0.15, Probability;
    /// High end of the plausible w, read out as `spine_bmd_high_w`: posterior elements at the
    /// mean − 2 SD (43 %) × trabecular bone two-thirds of the vertebral body \[U\]: 0.57 × 0.66 ≈
    /// 0.38, rounded to 0.40.
    spine_cancellous_share_high: f64 = 0.4, Probability;
    /// w_hip, the cancellous share of the total-hip DXA signal, read out as `hip_bmd` =
    /// w_hip·bone_density + (1 − w_hip)·cortical density: the femoral neck about a quarter
    /// trabecular, the trochanter about half \[R\], the intertrochanteric shaft mostly cortical:
    /// about 0.3 \[U\] (observe/mod.rs).
    hip_cancellous_share: f64 = 0.3, Probability;
    // ---- bone turnover markers ----
    /// W, the days each marker (`ctx_pct`, `p1np_pct`) averages the tissue's resorption or
    /// formation over, ending at the sample (observe/markers.rs).
    marker_window_days: f64 = 28.0, Positive;
    /// B, the days of spin-up before day 0 that the markers' baseline (their 100 %) averages;
    /// a spin-up shorter than B or W leaves the markers undefined.
    marker_baseline_days: f64 = 182.0, Positive;
    /// Mineral fraction of the cortical sites at the start of the spin-up: their stationary value
    /// under cortical turnover (≈ 3.7 %/year), from `bmu-sim calibrate` (docs/calibration.md).
    initial_cortical_mineral_fraction: f64 = 0.967, Probability;
    // ---- interventions: magnitudes at full level (strength 1) ----
    /// Estrogen loss: RANKL signal from osteoblast-lineage and immune cells (× untreated).
    estrogen_loss_rankl: f64 = 1.3, Positive;
    /// Estrogen loss: osteoclast apoptosis factor E, from lost ERα–FasL signalling (× untreated).
    estrogen_loss_apoptosis: f64 = 0.97, NonNegative;
    /// Estrogen loss: osteoblast work factor (× untreated): each BMU refills less than it
    /// eroded, the negative balance of postmenopausal remodelling (Eriksen 1990 JBMR 5:311 \[U\]).
    estrogen_loss_osteoblast_work: f64 = 0.94, NonNegative;
    /// Estrogen loss: thiol antioxidant capacity left (GSH, thioredoxin; × untreated).
    estrogen_loss_thiol_capacity: f64 = 0.95, Positive;
    /// Denosumab: fraction of the RANKL signal neutralised.
    denosumab_rankl_block: f64 = 0.85, Probability;
    /// Denosumab: absorption from the subcutaneous depot (per day).
    denosumab_absorption_per_day: f64 = 0.14208, Positive;
    /// Denosumab: subcutaneous bioavailability (fraction).
    denosumab_bioavailability: f64 = 0.729, Probability;
    /// Denosumab: central volume of distribution (mL).
    denosumab_central_ml: f64 = 2340.0, Positive;
    /// Denosumab: peripheral volume of distribution (mL).
    denosumab_peripheral_ml: f64 = 1324.0, Positive;
    /// Denosumab: intercompartmental clearance (mL per day).
    denosumab_distribution_ml_per_day: f64 = 448.08, NonNegative;
    /// Denosumab: linear clearance (mL per day).
    denosumab_clearance_ml_per_day: f64 = 66.0, NonNegative;
    /// Denosumab: largest target-mediated (RANKL) elimination (ng per day).
    denosumab_vmax_ng_per_day: f64 = 74640.0, NonNegative;
    /// Denosumab: concentration of half the target-mediated elimination (ng/mL).
    denosumab_km_ng_per_ml: f64 = 188.0, Positive;
    /// Denosumab: concentration neutralising half of its RANKL block (ng/mL).
    denosumab_ic50_ng_per_ml: f64 = 1.0, Positive;
    /// Osteomorphs accrued per day while RANKL is blocked (load units per day at full block).
    osteomorph_accrual_per_day: f64 = 0.0005, NonNegative;
    /// Osteomorphs re-fusing per day once RANKL returns (fraction of the load per day).
    osteomorph_release_per_day: f64 = 0.01, NonNegative;
    /// Bisphosphonate given by a window at strength 1: oral alendronate (mg per day).
    bisphosphonate_window_mg_per_day: f64 = 10.0, NonNegative;
    /// Bisphosphonate on bone surfaces buried under new bone (fraction per day).
    bisphosphonate_burial_per_day: f64 = 0.02, Positive;
    /// Surface bisphosphonate, in alendronate-equivalent mg, for half its effect on osteoclasts.
    bisphosphonate_half_effect_mg: f64 = 0.26, Positive;
    /// Alendronate: oral bioavailability (fraction of an oral dose absorbed).
    alendronate_bioavailability: f64 = 0.0064, Probability;
    /// Alendronate: fraction of the absorbed dose taken up by bone.
    alendronate_skeletal_uptake: f64 = 0.5, Probability;
    /// Alendronate: fraction released by resorption that binds bone again.
    alendronate_rebinding: f64 = 0.7, Probability;
    /// Risedronate: oral bioavailability (fraction of an oral dose absorbed).
    risedronate_bioavailability: f64 = 0.0063, Probability;
    /// Risedronate: fraction of the absorbed dose taken up by bone.
    risedronate_skeletal_uptake: f64 = 0.5, Probability;
    /// Risedronate: fraction released by resorption that binds bone again.
    risedronate_rebinding: f64 = 0.5, Probability;
    /// Risedronate: effect per mg on bone surfaces (× alendronate's).
    risedronate_potency: f64 = 1.5, NonNegative;
    /// Zoledronate (intravenous): fraction of a dose taken up by bone.
    zoledronate_skeletal_uptake: f64 = 0.61, Probability;
    /// Zoledronate: fraction released by resorption that binds bone again.
    zoledronate_rebinding: f64 = 0.8, Probability;
    /// Zoledronate: effect per mg on bone surfaces (× alendronate's).
    zoledronate_potency: f64 = 3.8, NonNegative;
    /// Resorption activity lost per unit of bound bisphosphonate (fraction).
    bisphosphonate_activity_loss: f64 = 0.05, Probability;
    /// BMU activation lost per unit of bound bisphosphonate (fraction).
    bisphosphonate_activation_loss: f64 = 0.45, Probability;
    /// Teriparatide: osteoblast work factor (× untreated).
    teriparatide_osteoblast_work: f64 = 1.15, NonNegative;
    /// Teriparatide: activation factor (× untreated).
    teriparatide_activation: f64 = 1.3, NonNegative;
    /// Least significant change of a readout (points of % of day 0): in a virtual trial a patient
    /// has gained or lost when her change reaches it.
    responder_change_pct: f64 = 3.0, NonNegative;
    /// The share of a dosing regimen's doses taken, each dose independently (a patient's adherence).
    adherence: f64 = 1.0, Probability;
    /// Teriparatide: the daily dose a regimen's level is measured against (µg).
    teriparatide_reference_ug: f64 = 20.0, Positive;
    /// Teriparatide: modelling-based formation packets started per quiescent cancellous site per
    /// year.
    teriparatide_modelling_per_site_per_year: f64 = 0.8, NonNegative;
    /// Abaloparatide: osteoblast work factor (× untreated).
    abaloparatide_osteoblast_work: f64 = 1.2, NonNegative;
    /// Abaloparatide: activation factor (× untreated).
    abaloparatide_activation: f64 = 1.1, NonNegative;
    /// Abaloparatide: the daily dose a regimen's level is measured against (µg).
    abaloparatide_reference_ug: f64 = 80.0, Positive;
    /// Abaloparatide: modelling-based formation packets per quiescent cancellous site per year.
    abaloparatide_modelling_per_site_per_year: f64 = 0.8, NonNegative;
    /// Romosozumab: absorption from the subcutaneous depot (per day).
    romosozumab_absorption_per_day: f64 = 0.445, Positive;
    /// Romosozumab: subcutaneous bioavailability (fraction).
    romosozumab_bioavailability: f64 = 0.81, Probability;
    /// Romosozumab: volume of distribution (mL).
    romosozumab_volume_ml: f64 = 5640.0, Positive;
    /// Romosozumab: linear clearance (mL per day).
    romosozumab_clearance_ml_per_day: f64 = 347.0, NonNegative;
    /// Romosozumab: largest target-mediated (sclerostin) elimination (µg per day).
    romosozumab_vmax_ug_per_day: f64 = 706.0, NonNegative;
    /// Romosozumab: concentration of half the target-mediated elimination (µg/mL).
    romosozumab_km_ug_per_ml: f64 = 0.5, Positive;
    /// Romosozumab: concentration of half its effect (µg/mL).
    romosozumab_ec50_ug_per_ml: f64 = 8.0, Positive;
    /// Romosozumab: fraction of the RANKL signal it blocks at full level.
    romosozumab_rankl_block: f64 = 0.45, Probability;
    /// Romosozumab: osteoblast work factor at full formation level (× untreated).
    romosozumab_osteoblast_work: f64 = 2.4, NonNegative;
    /// Romosozumab: modelling-based formation packets per quiescent cancellous site per year.
    romosozumab_modelling_per_site_per_year: f64 = 14.0, NonNegative;
    /// Romosozumab: time constant of the tolerance that wanes its formation effect (days).
    romosozumab_tolerance_days: f64 = 90.0, Positive;
    /// Romosozumab: formation effect lost per unit of tolerance (× level).
    romosozumab_tolerance_weight: f64 = 1.6, NonNegative;
    /// Antioxidant (NAC, MitoTEMPO): antioxidant capacity added.
    antioxidant_dose: f64 = 0.4, NonNegative;
    /// Parkin overexpression: k_parkin factor.
    parkin_overexpression_fold: f64 = 3.0, NonNegative;
    /// Mitophagy inducer (urolithin A): factor on k_parkin and k_receptor.
    mitophagy_inducer_fold: f64 = 2.0, NonNegative;
    /// Mdivi-1 (Drp1 inhibition): factor on k_parkin and k_receptor.
    mdivi1_fold: f64 = 0.5, NonNegative;
    /// BNIP3 knock-down: factor on k_receptor.
    bnip3_knockdown_fold: f64 = 0.2, NonNegative;
    /// Hypoxia: rise of the hypoxia signal.
    hypoxia_rise: f64 = 1.0, NonNegative;
    /// PGC-1β loss: factor on k_bio.
    pgc1b_loss_fold: f64 = 0.2, NonNegative;
}

impl Params {
    /// Cross-parameter rules the table cannot express. On failure returns the keys involved
    /// (the config reader points at whichever of them the user set) and the problem.
    pub fn check_consistency(&self) -> Result<(), (&'static [&'static str], String)> {
        let h = self.health_levels;
        if h > 63 {
            return Err((&["health_levels"], format!("must be at most 63, got {h}")));
        }
        if self.depolarised_threshold >= h {
            return Err((
                &["depolarised_threshold", "health_levels"],
                format!("depolarised_threshold ({}) must be below health_levels ({h})", self.depolarised_threshold),
            ));
        }
        if self.fusion_threshold >= h {
            return Err((
                &["fusion_threshold", "health_levels"],
                format!("fusion_threshold ({}) must be below health_levels ({h})", self.fusion_threshold),
            ));
        }
        if self.dt_days > 1.0 {
            return Err((&["dt_days"], "must be at most 1 day".into()));
        }
        if self.dt_days * 24.0 / self.mito_dt_hours > 1e4 {
            return Err((
                &["mito_dt_hours", "dt_days"],
                "more than 10 000 mitochondrial sub-steps per cell step".into(),
            ));
        }
        if self.fusion_instant && !self.mito_exact {
            return Err((
                &["fusion_instant", "mito_exact"],
                "instant fusion needs the exact process (mito_exact = true)".into(),
            ));
        }
        if self.max_bmu_days < self.dt_days {
            return Err((&["max_bmu_days", "dt_days"], "max_bmu_days must be at least dt_days".into()));
        }
        if self.mitochondria_per_cell as f64 * self.max_mitochondria_factor > 1e6 {
            return Err((
                &["mitochondria_per_cell", "max_mitochondria_factor"],
                "more than a million mitochondria per cell".into(),
            ));
        }
        if self.spine_cancellous_share_low > self.spine_cancellous_share_high {
            return Err((
                &["spine_cancellous_share_low", "spine_cancellous_share_high"],
                "spine_cancellous_share_low must not exceed spine_cancellous_share_high".into(),
            ));
        }
        if self.max_site_bone_pct < 100.0 {
            return Err((&["max_site_bone_pct"], "must be at least 100 (every site starts at 100 %)".into()));
        }
        if self.precursor_pool_cells > 100_000 {
            return Err((&["precursor_pool_cells"], "at most 100 000 circulating precursors".into()));
        }
        if u64::from(self.sites) + u64::from(self.cortical_sites) > 10_000_000 {
            return Err((
                &["sites", "cortical_sites"],
                "at most 10 000 000 sites, cancellous and cortical together".into(),
            ));
        }
        let (x1, x2) = self.kernel().steady_state();
        if !(x1.is_finite() && x2.is_finite() && x1 > 0.0 && x2 > 0.0) {
            return Err((
                &["g11", "g21", "g12", "g22", "alpha1_per_day", "alpha2_per_day", "beta1_per_day", "beta2_per_day"],
                "the kernel has no positive steady state with these exponents and rates".into(),
            ));
        }
        let per_bmu = self.population_scale * (x1 + self.pulse_osteoclasts).max(x2);
        if per_bmu > 1e7 {
            return Err((
                &["population_scale", "pulse_osteoclasts"],
                format!("a BMU would start with {per_bmu:.3e} cells (limit 1e7)"),
            ));
        }
        Ok(())
    }

    /// The Komarova kernel these parameters define.
    pub fn kernel(&self) -> crate::meanfield::Kernel {
        crate::meanfield::Kernel {
            alpha1: self.alpha1_per_day,
            alpha2: self.alpha2_per_day,
            beta1: self.beta1_per_day,
            beta2: self.beta2_per_day,
            g11: self.g11,
            g21: self.g21,
            g12: self.g12,
            g22: self.g22,
            k1: self.k1_pct_per_cell_day,
            k2: self.k2_pct_per_cell_day,
        }
    }

    /// Mitochondrial sub-steps per cell step, and their length in days.
    pub fn mito_substeps(&self) -> (u32, f64) {
        let n = (self.dt_days * 24.0 / self.mito_dt_hours).ceil().clamp(1.0, 1e6) as u32;
        (n, self.dt_days / n as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_default_is_inside_its_range() {
        let d = Params::default();
        for p in PARAMS {
            let mut q = Params::default();
            assert_eq!(q.set(p.key, d.get(p.key).unwrap()), Ok(()), "{}", p.key);
        }
        assert_eq!(d.check_consistency(), Ok(()));
    }

    #[test]
    fn ranges_refuse_bad_values() {
        let mut p = Params::default();
        assert!(p.set("damage_per_day", Value::Float(-1.0)).is_err());
        assert!(p.set("damage_per_day", Value::Float(f64::NAN)).is_err());
        assert!(p.set("damage_per_day", Value::Float(f64::INFINITY)).is_err());
        assert!(p.set("diff_max", Value::Float(1.5)).is_err());
        assert!(p.set("sites", Value::Int(0)).is_err());
        assert!(p.set("sites", Value::Float(2.0)).is_err());
        assert_eq!(p.set("cortical_sites", Value::Int(0)), Ok(()), "an integer >= 0 takes 0");
        assert!(p.set("cortical_sites", Value::Int(-1)).is_err());
        assert!(p.set("cortical_sites", Value::Float(1.0)).is_err());
        assert!(p.set("pink1_tagging", Value::Int(1)).is_err());
        assert_eq!(p.set("no_such_key", Value::Int(1)), Err(ValueError::UnknownKey));
        assert_eq!(p.set("damage_per_day", Value::Int(3)), Ok(()));
        assert_eq!(p.damage_per_day, 3.0);
    }

    #[test]
    fn instant_fusion_is_refused_under_the_sub_step_scheme() {
        let p = Params { fusion_instant: true, mito_exact: false, ..Params::default() };
        assert_eq!(p.check_consistency().map_err(|e| e.0), Err(&["fusion_instant", "mito_exact"][..]));
        assert_eq!(Params { mito_exact: true, ..p }.check_consistency(), Ok(()));
    }

    #[test]
    fn substeps_never_exceed_the_requested_length() {
        let p = Params::default();
        let (n, h) = p.mito_substeps();
        assert_eq!(n, 3);
        assert!(h * 24.0 <= p.mito_dt_hours + 1e-12);
    }
}
