"""Adopting crowdcare: the files `crowdcare init` writes (scaffold) and the live checks of `crowdcare doctor`."""
