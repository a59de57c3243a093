//! What a parameter accepts and how a raw value is checked against it, and the macro that turns
//! the one parameter table (`params.rs`) into the validated [`Params`](super::Params) struct.

use std::fmt;

/// What values a parameter accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Range {
    /// Any finite number (exponents).
    Finite,
    /// A finite number ≥ 0 (rates, amounts).
    NonNegative,
    /// A finite number > 0 (steps, scales).
    Positive,
    /// A probability or fraction in [0, 1].
    Probability,
    /// An integer ≥ 1.
    Count,
    /// An integer ≥ 0.
    Integer,
    /// true or false.
    Switch,
}

impl Range {
    /// Human words for error messages.
    pub fn describe(self) -> &'static str {
        match self {
            Range::Finite => "a finite number",
            Range::NonNegative => "a finite number >= 0",
            Range::Positive => "a finite number > 0",
            Range::Probability => "a number between 0 and 1",
            Range::Count => "an integer >= 1",
            Range::Integer => "an integer >= 0",
            Range::Switch => "true or false",
        }
    }
}

/// A parameter value as read from a config, before it is checked against its [`Range`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Value {
    Float(f64),
    Int(i64),
    Bool(bool),
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            // `{:?}` keeps a decimal point on whole numbers so the value reads back as a float.
            Value::Float(x) => write!(f, "{x:?}"),
            Value::Int(i) => write!(f, "{i}"),
            Value::Bool(b) => write!(f, "{b}"),
        }
    }
}

/// Why a value was refused.
#[derive(Clone, Debug, PartialEq)]
pub enum ValueError {
    UnknownKey,
    /// The value is of the wrong type or outside its range; the payload says what was expected.
    Expected(&'static str),
}

/// One row of the parameter table.
#[derive(Clone, Copy, Debug)]
pub struct ParamSpec {
    pub key: &'static str,
    pub range: Range,
    pub doc: &'static str,
}

pub(super) fn check_float(v: Value, range: Range) -> Result<f64, ValueError> {
    let x = match v {
        Value::Float(x) => x,
        Value::Int(i) => i as f64,
        Value::Bool(_) => return Err(ValueError::Expected(range.describe())),
    };
    let ok = x.is_finite()
        && match range {
            Range::NonNegative => x >= 0.0,
            Range::Positive => x > 0.0,
            Range::Probability => (0.0..=1.0).contains(&x),
            _ => true,
        };
    if ok { Ok(x) } else { Err(ValueError::Expected(range.describe())) }
}

pub(super) fn check_integer(v: Value, range: Range) -> Result<u32, ValueError> {
    let least = if range == Range::Integer { 0 } else { 1 };
    match v {
        Value::Int(i) if (least..=u32::MAX as i64).contains(&i) => Ok(i as u32),
        _ => Err(ValueError::Expected(range.describe())),
    }
}

pub(super) fn check_switch(v: Value) -> Result<bool, ValueError> {
    match v {
        Value::Bool(b) => Ok(b),
        _ => Err(ValueError::Expected(Range::Switch.describe())),
    }
}

/// Builds [`Params`](super::Params), its defaults, [`PARAMS`](super::PARAMS) and the key lookup
/// from the one parameter table in `params.rs`.
macro_rules! params {
    ($( $(#[doc = $doc:literal])+ $key:ident : $ty:ident = $default:expr, $range:ident; )+) => {
        /// The validated model parameters of one scenario. Built only through [`Params::set`], so
        /// every value is inside its declared range.
        #[derive(bevy_ecs::prelude::Resource, Clone, Debug, PartialEq)]
        pub struct Params { $( $(#[doc = $doc])+ pub $key: $ty, )+ }

        impl Default for Params {
            fn default() -> Self { Params { $( $key: $default, )+ } }
        }

        /// The parameter table, in declaration order.
        pub const PARAMS: &[ParamSpec] = &[
            $( ParamSpec { key: stringify!($key), range: Range::$range, doc: concat!($($doc),+) }, )+
        ];

        impl Params {
            /// Set one parameter by key, checking type and range.
            pub fn set(&mut self, key: &str, value: Value) -> Result<(), ValueError> {
                match key {
                    $( stringify!($key) => { self.$key = params!(@check $ty, $range, value)?; } )+
                    _ => return Err(ValueError::UnknownKey),
                }
                Ok(())
            }

            /// Read one parameter by key.
            pub fn get(&self, key: &str) -> Option<Value> {
                match key {
                    $( stringify!($key) => Some(params!(@value $ty, self.$key)), )+
                    _ => None,
                }
            }
        }
    };
    (@check f64, $range:ident, $v:expr) => { check_float($v, Range::$range) };
    (@check u32, $range:ident, $v:expr) => { check_integer($v, Range::$range) };
    (@check bool, $range:ident, $v:expr) => { check_switch($v) };
    (@value f64, $x:expr) => { Value::Float($x) };
    (@value u32, $x:expr) => { Value::Int($x as i64) };
    (@value bool, $x:expr) => { Value::Bool($x) };
}

pub(super) use params;
