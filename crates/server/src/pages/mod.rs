//! Server-rendered HTML pages (no front-end build; a little vanilla JS).

pub mod downloads;
pub mod index;
pub mod layout;
pub mod live;
pub mod search;
pub mod session;
pub mod track;
