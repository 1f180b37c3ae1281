//! Colour refinement of weighted (directed, vertex-coloured) graphs: ordered
//! partitions refined to equitable ones, isomorphism-invariantly.
