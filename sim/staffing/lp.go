package staffing

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// errNoCover is the LP's answer when the columns cannot cover the rows.
var errNoCover = errors.New("the shift patterns cannot cover the requirement")

// sparseCol is one column of a covering program: its non-zero rows.
type sparseCol struct {
	row []int
	val []float64
}

// dualSimplex solves min c·x subject to A·x ≥ b, x ≥ 0, for costs c ≥ 0,
// by the dual simplex method on A·x − s = b from the all-surplus basis
// (dual feasible because c ≥ 0), keeping the basis inverse explicitly and
// updating it at each pivot (O(m²)), refactorised every 100 pivots.
// gonum's lp.Simplex refactorises the basis at every pivot (O(m³)), which
// on a week of half-hour rows took over a minute; this takes about a
// second. Every iterate is dual feasible, so bound (the dual objective) is
// a lower bound on the optimum even if the pivot cap stops it early (then
// err is set and x is not a cover).
func dualSimplex(cols []sparseCol, c, b []float64) (x []float64, bound float64, err error) {
	n, m := len(cols), len(b)
	x = make([]float64, n)
	if m == 0 {
		return x, 0, nil
	}
	// Variables 0..n-1 are the columns, n..n+m-1 the surplus; the system
	// is −A·x + s = −b.
	basis := make([]int, m)
	inBasis := make([]int, n+m)
	for j := range inBasis {
		inBasis[j] = -1
	}
	binv := make([]float64, m*m)
	xb := make([]float64, m)
	d := make([]float64, n+m)
	copy(d, c)
	for r := 0; r < m; r++ {
		basis[r], inBasis[n+r] = n+r, r
		binv[r*m+r] = 1
		xb[r] = -b[r]
	}
	cost := func(j int) float64 {
		if j < n {
			return c[j]
		}
		return 0
	}
	alpha := make([]float64, n+m)
	rows := byRow(cols, m)
	u := make([]float64, m)
	const tol = 1e-9
	for it := 0; ; it++ {
		if it > 0 && it%100 == 0 {
			if err := refactor(cols, c, b, basis, binv, xb, d, n); err != nil {
				return nil, math.NaN(), err
			}
		}
		r := -1
		for i, v := range xb {
			if v < -1e-7 && (r < 0 || v < xb[r]) {
				r = i
			}
		}
		if r < 0 {
			break
		}
		if it > 50*(m+n) {
			bound = 0
			for i, j := range basis {
				bound += cost(j) * xb[i]
			}
			return nil, bound, fmt.Errorf("dual simplex: no optimum after %d pivots", it)
		}
		rho := binv[r*m : (r+1)*m]
		pivotRow(rows, rho, alpha[:n])
		q, best := -1, math.Inf(1)
		for j := 0; j < n+m; j++ {
			if inBasis[j] >= 0 {
				alpha[j] = 0
				continue
			}
			if j >= n {
				alpha[j] = rho[j-n]
			}
			a := alpha[j]
			if a < -tol {
				if ratio := d[j] / -a; ratio < best-1e-12 || (ratio < best+1e-12 && q >= 0 && a < alpha[q]) {
					q, best = j, ratio
				}
			}
		}
		if q < 0 {
			return nil, math.NaN(), errNoCover
		}
		// u = B⁻¹·M_q.
		for i := range u {
			u[i] = 0
		}
		if q < n {
			for k, i := range cols[q].row {
				v := cols[q].val[k]
				for row := 0; row < m; row++ {
					u[row] -= binv[row*m+i] * v
				}
			}
		} else {
			for row := 0; row < m; row++ {
				u[row] = binv[row*m+q-n]
			}
		}
		piv := u[r]
		theta := d[q] / alpha[q]
		for j := range d {
			if inBasis[j] < 0 {
				d[j] -= theta * alpha[j]
			}
		}
		leave := basis[r]
		d[q], d[leave] = 0, -theta
		step := xb[r] / piv
		for i := range xb {
			xb[i] -= step * u[i]
		}
		xb[r] = step
		pr := binv[r*m : (r+1)*m]
		for k := range pr {
			pr[k] /= piv
		}
		for i := 0; i < m; i++ {
			if i == r || u[i] == 0 {
				continue
			}
			f := u[i]
			row := binv[i*m : (i+1)*m]
			for k, v := range pr {
				row[k] -= f * v
			}
		}
		basis[r], inBasis[q], inBasis[leave] = q, r, -1
	}
	for i, j := range basis {
		if j < n {
			x[j] = math.Max(0, xb[i])
		}
		bound += cost(j) * xb[i]
	}
	return x, bound, nil
}

// sparseRow is one row of a covering program: its non-zero columns.
type sparseRow struct {
	col []int
	val []float64
}

// byRow stores the columns' entries row by row.
func byRow(cols []sparseCol, m int) []sparseRow {
	rows := make([]sparseRow, m)
	for j, c := range cols {
		for k, i := range c.row {
			rows[i].col = append(rows[i].col, j)
			rows[i].val = append(rows[i].val, c.val[k])
		}
	}
	return rows
}

// pivotRow sets alpha_j = −ρ·A_j for every column j, visiting only the
// rows where ρ (a row of the basis inverse) is not zero: on covering
// programs ρ is sparse, and this is most of a pivot's work.
func pivotRow(rows []sparseRow, rho, alpha []float64) {
	for j := range alpha {
		alpha[j] = 0
	}
	for i, r := range rho {
		if r == 0 {
			continue
		}
		row := &rows[i]
		for k, j := range row.col {
			alpha[j] -= r * row.val[k]
		}
	}
}

// refactor recomputes the basis inverse, the basic values and the reduced
// costs from scratch, against the drift of the updates.
func refactor(cols []sparseCol, c, b []float64, basis []int, binv, xb, d []float64, n int) error {
	m := len(b)
	B := mat.NewDense(m, m, nil)
	for r, j := range basis {
		if j < n {
			for k, i := range cols[j].row {
				B.Set(i, r, -cols[j].val[k])
			}
		} else {
			B.Set(j-n, r, 1)
		}
	}
	var inv mat.Dense
	if err := inv.Inverse(B); err != nil {
		return fmt.Errorf("dual simplex: %w", err)
	}
	for i := 0; i < m; i++ {
		for k := 0; k < m; k++ {
			binv[i*m+k] = inv.At(i, k)
		}
	}
	y := make([]float64, m) // c_B·B⁻¹
	for r, j := range basis {
		xb[r] = 0
		for k := 0; k < m; k++ {
			xb[r] -= binv[r*m+k] * b[k]
		}
		if j < n {
			for k := 0; k < m; k++ {
				y[k] += c[j] * binv[r*m+k]
			}
		}
	}
	inB := make([]bool, len(d))
	for _, j := range basis {
		inB[j] = true
	}
	for j := range d {
		if inB[j] {
			d[j] = 0
			continue
		}
		if j < n {
			v := c[j]
			for k, i := range cols[j].row {
				v += y[i] * cols[j].val[k]
			}
			d[j] = v
		} else {
			d[j] = -y[j-n]
		}
	}
	return nil
}
