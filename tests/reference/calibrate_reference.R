# Reference maximum-likelihood fits for tests/native/test_calibrate.cpp, by established R
# implementations: the normal MLE in closed form, MASS::fitdistr(x, "t"),
# fGarch::garchFit(~garch(1,1), cond.dist = "std"), and a Merton (Poisson mixture of normals)
# likelihood maximised with stats::optim, written here independently of backstop's C++.
# Run from the repository root: Rscript tests/reference/calibrate_reference.R > tests/reference/calibrate_reference.out
# (Debian packages r-base-core, r-cran-mass, r-cran-fgarch). Never run at test time.
suppressMessages({ library(MASS); library(fGarch) })
options(digits = 15)
cat("R:", R.version.string, " MASS", format(packageVersion("MASS")), " fGarch", format(packageVersion("fGarch")), "\n")

# Real data: R datasets::EuStockMarkets, DAX column; tests/data/dax-1991-1998.csv holds the same closes.
dax <- as.numeric(EuStockMarkets[, "DAX"])
csv <- as.numeric(read.csv("tests/data/dax-1991-1998.csv", comment.char = "#")$close)
stopifnot(identical(dax, csv))
x <- diff(log(dax))
n <- length(x)
cat("returns:", n, "\n")

# GBM: normal MLE (variance with divisor n).
m <- mean(x); s <- sqrt(mean((x - m)^2))
cat("\n[gbm]\nmean", m, "\nsd", s, "\nloglik", sum(dnorm(x, m, s, log = TRUE)), "\n")

# Student t, location-scale (MASS::fitdistr, default BFGS from its moment start).
ft <- fitdistr(x, "t")
cat("\n[student_t fitdistr]\n")
for (k in names(ft$estimate)) cat(k, ft$estimate[[k]], "se", ft$sd[[k]], "\n")
cat("loglik", ft$loglik, "\n")
# fitdistr's BFGS on unscaled parameters stops short of the optimum here (a tighter reltol
# alone does not move it): the same fit with parameters scaled to their size.
ft2 <- fitdistr(x, "t", control = list(parscale = c(1e-4, 1e-4, 0.1), reltol = 1e-14))
cat("\n[student_t fitdistr parscale]\n")
for (k in names(ft2$estimate)) cat(k, ft2$estimate[[k]], "se", ft2$sd[[k]], "\n")
cat("loglik", ft2$loglik, "\n")

# fitdistr's standard errors come from optimHess (differences of a numerical gradient); the
# observed information by central second differences of the log-likelihood, for comparison.
tll <- function(p) sum(dt((x - p[1]) / p[2], p[3], log = TRUE) - log(p[2]))
p <- ft2$estimate; h <- 1e-3 * pmax(abs(p), p[["s"]]); H <- matrix(0, 3, 3)
for (i in 1:3) for (j in 1:3) {
  f <- function(di, dj) { q <- p; q[i] <- q[i] + di; q[j] <- q[j] + dj; tll(q) }
  H[i, j] <- (f(h[i], h[j]) - f(h[i], -h[j]) - f(-h[i], h[j]) + f(-h[i], -h[j])) / (4 * h[i] * h[j])
}
cat("se by central differences:", sqrt(diag(solve(-H))), "\n")

# GARCH(1,1) with standardised-t innovations.
g <- garchFit(~ garch(1, 1), data = x, cond.dist = "std", include.mean = TRUE, trace = FALSE)
cat("\n[garch fGarch]\n")
cf <- g@fit$matcoef
for (k in rownames(cf)) cat(k, cf[k, 1], "se", cf[k, 2], "\n")
cat("loglik", -g@fit$llh, "\n")
# Independent recomputation of fGarch's likelihood at its estimate, with its initialisation
# (.aparchLLH.filter, init.rec = "mci"): h_1 = omega + (alpha + beta) * mean(z^2) at the current mu.
llh_std <- function(p, x) {
  z <- x - p[["mu"]]; N <- length(z)
  h <- numeric(N); h[1] <- p[["omega"]] + (p[["alpha1"]] + p[["beta1"]]) * mean(z^2)
  for (t in 2:N) h[t] <- p[["omega"]] + p[["alpha1"]] * z[t - 1]^2 + p[["beta1"]] * h[t - 1]
  sum(log(dstd(z / sqrt(h), 0, 1, p[["shape"]]) / sqrt(h)))
}
cat("loglik recomputed", llh_std(as.list(coef(g)), x), "\n")
cat("loglik recomputed with h_1 = mean(z^2)", (function(p) {
  z <- x - p$mu; h <- mean(z^2); s <- log(dstd(z[1] / sqrt(h), 0, 1, p$shape) / sqrt(h))
  for (t in 2:length(z)) { h <- p$omega + p$alpha1 * z[t - 1]^2 + p$beta1 * h; s <- s + log(dstd(z[t] / sqrt(h), 0, 1, p$shape) / sqrt(h)) }
  s })(as.list(coef(g))), "\n")

# Merton: per-interval drift a, diffusion sd s, jump rate lambda, log jump N(mj, sj^2); the
# Poisson sum runs to 60 terms (lambda stays far below 1 here, so the rest is < 1e-60).
merton_ll <- function(a, s, lambda, mj, sj, x) {
  k <- 0:60
  w <- dpois(k, lambda)
  sum(log(sapply(x, function(xi) sum(w * dnorm(xi, a + k * mj, sqrt(s^2 + k * sj^2))))))
}
nll <- function(u) -merton_ll(u[1], exp(u[2]), exp(u[3]), u[4], exp(u[5]), x)
best <- NULL
for (lam in c(0.02, 0.1, 0.5)) for (js in c(2, 5)) {
  o <- optim(c(m, log(0.7 * s), log(lam), 0, log(js * s)), nll, method = "Nelder-Mead",
             control = list(maxit = 20000, reltol = 1e-14))
  o <- optim(o$par, nll, method = "BFGS", control = list(maxit = 2000, reltol = 1e-14))
  if (is.null(best) || o$value < best$value) best <- o
}
u <- best$par
cat("\n[merton optim]\na", u[1], "\ns", exp(u[2]), "\nlambda", exp(u[3]), "\nmj", u[4], "\nsj", exp(u[5]),
    "\nloglik", -best$value, "\n")
