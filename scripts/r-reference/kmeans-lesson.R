# R reference values for the k-means lesson (test/cluster/r-agreement.test.ts holds them as constants).
#
#   Rscript scripts/r-reference/kmeans-lesson.R [path/to/nigerian-songs.csv]
#
# The CSV path comes from the first argument, else from the NIGERIAN_SONGS_CSV environment variable.
# Needs base R and the recommended package `cluster` (silhouette). The values in the tests were produced by
# R 4.2.2 (Debian r-base-core + r-cran-cluster) with the default RNGkind ("Mersenne-Twister", "Inversion",
# "Rejection"). Doubles are printed with 17 significant digits so they round-trip exactly.
args <- commandArgs(trailingOnly = TRUE)
csv <- if (length(args) >= 1) args[[1]] else Sys.getenv("NIGERIAN_SONGS_CSV")
if (!nzchar(csv)) stop("give the songs CSV as the first argument or in NIGERIAN_SONGS_CSV")
library(cluster)
f17 <- function(v) paste(sprintf("%.17g", v), collapse = " ")

df <- read.csv(csv, stringsAsFactors = FALSE)
s <- df[df$artist_top_genre %in% c("afro dancehall", "afropop", "nigerian pop") & df$popularity != 0, ]
x <- s[, c("popularity", "danceability", "acousticness", "loudness", "energy")]
cat(R.version.string, "\n")
cat("rows", nrow(x), "distinct", nrow(unique(as.matrix(x))), "\n")

# The lesson's sequence: one set.seed, then kmeans(k = 3), the silhouette, and the elbow loop, all drawing
# from the same stream.
# The lesson's accuracy: genres numbered alphabetically (dplyr's cur_group_id()), compared with the cluster
# number. The lesson computes it on final_kmeans, the elbow's k = 3 model; it is printed for kclust too.
genre_id <- as.integer(factor(s$artist_top_genre))
lesson <- function(d, label) {
  cat("===", label, "\n")
  set.seed(2056)
  kc <- kmeans(d, centers = 3, nstart = 25)
  cat("size", kc$size, "\n")
  cat("tot.withinss", f17(kc$tot.withinss), "\n")
  cat("withinss", f17(kc$withinss), "\n")
  cat("betweenss", f17(kc$betweenss), "totss", f17(kc$totss), "\n")
  cat("centers", f17(t(kc$centers)), "\n") # cluster by cluster
  cat("cluster", paste(kc$cluster, collapse = ","), "\n")
  ss <- silhouette(kc$cluster, dist = dist(d))
  cat("silhouette", f17(mean(ss[, 3])), "\n")
  cat("accuracy", sum(genre_id == kc$cluster), "\n")
  for (k in 1:10) {
    m <- kmeans(d, centers = k, nstart = 25)
    cat("elbow k", k, f17(m$tot.withinss), "size", m$size, "\n")
    if (k == 3) final_kmeans <- m
  }
  cat("final_kmeans size", final_kmeans$size, "accuracy", sum(genre_id == final_kmeans$cluster), "\n")
  cat("next runif", f17(runif(1)), "\n")
}
lesson(x, "lesson (unscaled)")
lesson(scale(x), "challenge (scale(x))")

# Other start rules: nstart = 1 draws from all rows, iter.max = 2 stops before convergence (ifault 2).
cat("=== other starts\n")
for (cfg in list(c(seed = 7, k = 4, nstart = 1, iter = 10), c(seed = 15, k = 8, nstart = 1, iter = 2),
                 c(seed = 11, k = 6, nstart = 3, iter = 10))) {
  set.seed(cfg[["seed"]])
  m <- suppressWarnings(kmeans(x, centers = cfg[["k"]], nstart = cfg[["nstart"]], iter.max = cfg[["iter"]]))
  cat("seed", cfg[["seed"]], "k", cfg[["k"]], "nstart", cfg[["nstart"]], "iter.max", cfg[["iter"]],
      "tot.withinss", f17(m$tot.withinss), "iter", m$iter, "ifault", m$ifault, "\n")
  cat("cluster", paste(m$cluster, collapse = ","), "\n")
}
