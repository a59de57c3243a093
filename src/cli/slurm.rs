//! `bmu-sim slurm CONFIG --out DIR --shards N`: set up DIR for a run split into N shards and write
//! a Slurm array job running them (one array task per shard) and a merge job to run after it, in
//! `DIR-slurm/`; print how to submit them, or submit them (`--submit`). With `--sensitivity
//! FILE` the shards run the points of a sensitivity design instead, and the merge job computes
//! its indices.

use super::args::{ConfigOverrides, STDIN};
use super::progress::Reporter;
use super::stdout_error;
use bmu_sim::Error;
use bmu_sim::ensemble::{self, Shard};
use bmu_sim::estimate::Estimate;
use bmu_sim::sensitivity::{Analysis, Spec};
use bmu_sim::store::{Claim, Opened, OutputError, PendingFile, Plan, RunDir};
use clap::Args;
use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

#[derive(Args, Debug)]
pub struct SlurmArgs {
    /// The config [default: the embedded baseline, configs/baseline.toml]
    config: Option<PathBuf>,
    /// Run the points of this sensitivity file (docs/inference.md) instead of a config
    #[arg(long, value_name = "FILE", conflicts_with_all = ["config", "seed", "replicates", "set", "strict"])]
    sensitivity: Option<PathBuf>,
    /// The output directory the shards share (on a file system every node sees)
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Shards: array tasks, each running the units whose index is its task id modulo N
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    shards: u32,
    #[command(flatten)]
    overrides: ConfigOverrides,
    /// Threads per shard (sbatch --cpus-per-task)
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=4096))]
    threads: u32,
    /// Time limit per shard (sbatch --time), such as 4:00:00
    #[arg(long, value_name = "LIMIT")]
    time: Option<String>,
    /// Slurm partition for both jobs (sbatch --partition)
    #[arg(long, value_name = "NAME")]
    partition: Option<String>,
    /// A further sbatch option for both jobs, such as --sbatch=--account=bone; repeatable
    #[arg(long = "sbatch", value_name = "OPTION", allow_hyphen_values = true)]
    sbatch: Vec<String>,
    /// Let each shard run even if its estimate exceeds its node (run --no-limits)
    #[arg(long)]
    no_limits: bool,
    /// Submit both jobs with sbatch (the merge job after the array) instead of printing how
    #[arg(long)]
    submit: bool,
}

/// `word` as one word of a POSIX shell command line: as is when it is plain, else single-quoted.
pub fn shell_word(word: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "_@%+=:,./-".contains(c);
    if !word.is_empty() && word.chars().all(plain) {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

fn absolute(path: &Path) -> Result<String, Error> {
    absolute_path(path).map(|p| shell_word(&p))
}

fn absolute_path(path: &Path) -> Result<String, Error> {
    let p = std::fs::canonicalize(path).map_err(|e| Error::Runtime(format!("{}: {e}", path.display())))?;
    Ok(p.to_string_lossy().into_owned())
}

pub fn slurm(args: SlurmArgs, out: &mut dyn Write) -> Result<(), Error> {
    let reporter = Reporter::new(false);
    if args.config.as_deref() == Some(Path::new(STDIN)) {
        return Err(Error::Usage("slurm needs a config file, not `-`: every shard reads it again".into()));
    }
    let (config, design_file) = match &args.sensitivity {
        Some(file) => (Analysis::new(Spec::load(file)?)?.config, Some(absolute_path(file)?)),
        None => (args.overrides.load(args.config.as_deref())?, None),
    };
    ensemble::untreated_state(&config)?;
    let units = ensemble::unit_count(&config);
    let per_shard = units.div_ceil(u64::from(args.shards));
    let estimate = Estimate::of_runs(&config, args.threads as usize, per_shard);
    let plan = Plan { design_file: design_file.clone(), ..Plan::new(&config, args.shards, SystemTime::now()) };
    let dir = match RunDir::open(&args.out, plan, Claim::Continue)? {
        Opened::Ready(dir) => dir,
        Opened::Finished(shown) => {
            return writeln!(out, "{} holds the finished results of this config: nothing to submit", shown.display())
                .map_err(stdout_error);
        }
    };
    let (_, done) = bmu_sim::store::units::pending(&dir, &config, Shard::WHOLE)?;
    let scripts = scripts_dir(&args.out);
    let logs = scripts.join("logs");
    std::fs::create_dir_all(&logs).map_err(|e| OutputError::Io { path: logs.clone(), source: e })?;
    let exe = std::env::current_exe().map_err(|e| Error::Runtime(format!("cannot find this program's path: {e}")))?;
    let (exe, dir_abs, logs_abs) = (absolute(&exe)?, absolute(&args.out)?, absolute(&logs)?);
    let stem = args.out.file_name().map_or("run".into(), |n| n.to_string_lossy().into_owned());
    let mut run = vec![exe.clone()];
    match (&design_file, &args.config) {
        (Some(file), _) => run.extend(["sensitivity".into(), shell_word(file)]),
        (None, Some(c)) => run.extend(["run".into(), absolute(c)?]),
        (None, None) => run.push("run".into()),
    }
    run.extend([
        "--out".into(),
        dir_abs.clone(),
        "--shard".into(),
        format!("\"${{SLURM_ARRAY_TASK_ID}}/{}\"", args.shards),
    ]);
    run.extend(["--threads".into(), args.threads.to_string()]);
    run.extend(args.overrides.args().iter().map(|a| shell_word(a)));
    if args.no_limits {
        run.push("--no-limits".into());
    }
    let common = sbatch_lines(&args);
    let array = format!(
        "#!/bin/bash\n# The {} shards of {} into {}: one array task each. Written by `bmu-sim slurm`;\n# submit it, then merge.sbatch with --dependency=afterany:<this job's id>.\n\
         #SBATCH --job-name=bmu-sim-{stem}\n#SBATCH --array=0-{}\n#SBATCH --cpus-per-task={}\n#SBATCH --output={logs_abs}/shard-%a.log\n{common}\
         exec {}\n",
        args.shards,
        config.source,
        args.out.display(),
        args.shards - 1,
        args.threads,
        run.join(" ")
    );
    let merge = format!(
        "#!/bin/bash\n# Join the shards' units in {} into its results (`bmu-sim merge`). Written by `bmu-sim slurm`.\n\
         #SBATCH --job-name=bmu-sim-{stem}-merge\n#SBATCH --output={logs_abs}/merge.log\n{common}exec {exe} merge {dir_abs}\n",
        args.out.display()
    );
    let (array_path, merge_path) = (scripts.join("array.sbatch"), scripts.join("merge.sbatch"));
    write_script(&array_path, &array)?;
    write_script(&merge_path, &merge)?;
    reporter.note(format_args!(
        "{units} units of {} in {} shard(s), {done} done already; each shard: {estimate}",
        config.source, args.shards
    ));
    let shown = |p: &Path| shell_word(&p.to_string_lossy());
    if !args.submit {
        return writeln!(
            out,
            "wrote {} and {} (logs in {})\nsubmit them with:\n  jobid=$(sbatch --parsable {})\n  sbatch --dependency=afterany:${{jobid%%;*}} {}",
            array_path.display(),
            merge_path.display(),
            logs.display(),
            shown(&array_path),
            shown(&merge_path)
        )
        .map_err(stdout_error);
    }
    let array_job = sbatch(&[array_path.as_os_str().to_owned()])?;
    let after = format!("--dependency=afterany:{array_job}");
    let merge_job = sbatch(&[after.into(), merge_path.as_os_str().to_owned()])?;
    writeln!(
        out,
        "submitted array job {array_job} ({} shards) and merge job {merge_job} after it; the results appear in {} when job {merge_job} ends (logs in {})",
        args.shards,
        args.out.display(),
        logs.display()
    )
    .map_err(stdout_error)
}

/// `DIR-slurm`, beside DIR.
fn scripts_dir(dir: &Path) -> PathBuf {
    let mut name = dir.file_name().map_or_else(|| OsString::from("run"), |n| n.to_owned());
    name.push("-slurm");
    dir.with_file_name(name)
}

/// The `#SBATCH` lines both jobs share.
fn sbatch_lines(args: &SlurmArgs) -> String {
    let mut lines = String::new();
    let options = args
        .time
        .iter()
        .map(|t| format!("--time={t}"))
        .chain(args.partition.iter().map(|p| format!("--partition={p}")));
    for option in options.chain(args.sbatch.iter().cloned()) {
        lines += &format!("#SBATCH {option}\n");
    }
    lines
}

fn write_script(path: &Path, text: &str) -> Result<(), Error> {
    let mut file = PendingFile::create(path, true)?;
    file.write_all(text.as_bytes()).map_err(|e| OutputError::Io { path: path.to_path_buf(), source: e })?;
    file.commit()?;
    Ok(())
}

/// Submit with `sbatch --parsable ARGS`; the job id.
fn sbatch(args: &[OsString]) -> Result<String, Error> {
    let output = Command::new("sbatch").arg("--parsable").args(args).output();
    let output = output.map_err(|e| Error::Runtime(format!("cannot run sbatch ({e}): is Slurm installed here?")))?;
    let text = String::from_utf8_lossy(&output.stdout);
    let id = text.trim().split(';').next().unwrap_or_default().to_string();
    if !output.status.success() || id.is_empty() {
        return Err(Error::Runtime(format!(
            "sbatch failed ({}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        )));
    }
    Ok(id)
}
