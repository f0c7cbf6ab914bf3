"""Design-space analyses built on the symbolic engine: closed forms (`closed`), exact
vectorised evaluation of formulas on grids (`vector`, `grid`), piecewise structure in one
symbol (`pieces`), sensitivities, crossovers and comparisons. These modules import sympy and
numpy at the top: only the design commands load them, never the numeric `report` path."""
