#!/usr/bin/env python3
"""PyTorch CPU baseline of tweetlab's benchmark (scripts/bench.mjs runs it with /usr/bin/python3).

--model report: the report's model, Embedding -> LSTM(num_layers=2, batch_first=True) -> Linear per step,
CrossEntropyLoss over every step of every window, RMSprop.
--model own: tweetlab's own model (bench/pytorch_own.py): tied embeddings, embedding/locked/weight dropout,
Adam with weight decay and gradient clipping.
torch.set_num_threads(THREADS); the bench also sets OMP_NUM_THREADS/OPENBLAS_NUM_THREADS for this process. The
windows are read from the binary file the bench writes (int32: count, seqLength, then inputs and targets
row-major), so both sides train on identical data. Prints one JSON object on stdout, with the BLAS evidence and
GEMM rate of this very process (bench/torch_blas.py).
"""
import argparse
import json
import statistics
import sys
import time

import numpy as np
import torch
from torch import nn

import pytorch_own
import torch_blas


class WordLstm(nn.Module):
    def __init__(self, vocab, embedding, hidden, layers):
        super().__init__()
        self.embedding = nn.Embedding(vocab, embedding)
        self.lstm = nn.LSTM(embedding, hidden, num_layers=layers, batch_first=True)
        self.output = nn.Linear(hidden, vocab)

    def forward(self, ids, state=None):
        out, state = self.lstm(self.embedding(ids), state)
        return self.output(out), state


def build_report(a):
    model = WordLstm(a.vocab, a.embedding, a.hidden, a.layers)
    # Keras/tfjs RMSprop defaults: rho 0.9, epsilon 1e-7.
    opt = torch.optim.RMSprop(model.parameters(), lr=a.lr, alpha=0.9, eps=1e-7)
    loss_fn = nn.CrossEntropyLoss()

    def step(x, y):
        opt.zero_grad()
        logits, _ = model(x)
        loss = loss_fn(logits.reshape(-1, a.vocab), y.reshape(-1))
        loss.backward()
        opt.step()
        return loss

    return model, step


def parse_args():
    p = argparse.ArgumentParser()
    p.add_argument("--data", required=True)
    p.add_argument("--model", choices=["report", "own"], default="report")
    p.add_argument("--vocab", type=int, default=9000)
    p.add_argument("--embedding", type=int, default=128)
    p.add_argument("--hidden", type=int, default=256)
    p.add_argument("--layers", type=int, default=2)
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--batches", type=int, default=8, help="batches per timed run")
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--warmup", type=int, default=1)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--gen-steps", type=int, default=200)
    p.add_argument("--lr", type=float, default=0.001)
    p.add_argument("--weight-decay", type=float, default=0.0)
    p.add_argument("--clip", type=float, default=0.0)
    for name in ("embedding", "input", "output", "recurrent"):
        p.add_argument(f"--{name}-dropout", type=float, default=0.0)
    p.add_argument("--no-blas-report", action="store_true")
    return p.parse_args()


def generation_ms(model, vocab, steps):
    model.eval()
    with torch.no_grad():
        state = None
        for _ in range(5):
            _, state = model(torch.tensor([[1]]), state)
        start = time.perf_counter()
        for i in range(steps):
            logits, state = model(torch.tensor([[i % vocab]]), state)
            torch.softmax(logits[0, -1], dim=0)
        return (time.perf_counter() - start) * 1000 / steps


def main():
    a = parse_args()
    torch.manual_seed(1)
    torch.set_num_threads(a.threads)
    raw = np.fromfile(a.data, dtype="<i4")
    count, seq = int(raw[0]), int(raw[1])
    inputs = torch.from_numpy(raw[2 : 2 + count * seq].reshape(count, seq).astype(np.int64))
    targets = torch.from_numpy(raw[2 + count * seq : 2 + 2 * count * seq].reshape(count, seq).astype(np.int64))
    if a.model == "own":
        a.embedding = a.hidden
    model, step = (pytorch_own.build(a) if a.model == "own" else build_report(a))
    model.train()

    def run(offset):
        windows = 0
        start = time.perf_counter()
        loss = None
        for b in range(a.batches):
            lo = (offset + b * a.batch) % max(1, count - a.batch + 1)
            x = inputs[lo : lo + a.batch]
            loss = step(x, targets[lo : lo + a.batch])
            windows += x.shape[0]
        return windows * seq / (time.perf_counter() - start), float(loss)

    for w in range(a.warmup):
        run(w * a.batches * a.batch)
    rates = []
    loss = float("nan")
    for r in range(a.runs):
        rate, loss = run((a.warmup + r) * a.batches * a.batch)
        rates.append(rate)
    gen_ms = generation_ms(model, a.vocab, a.gen_steps)

    out = {
        "engine": "pytorch-cpu",
        "model": a.model,
        "tokensPerSec": statistics.median(rates),
        "runs": rates,
        "genMsPerWord": gen_ms,
        "lastLoss": loss,
        "threads": torch.get_num_threads(),
        "batchSize": a.batch,
        "batchesPerRun": a.batches,
        "torch": torch.__version__,
        "python": sys.version.split()[0],
    }
    if not a.no_blas_report:
        out.update(torch_blas.blas_report())
    print(json.dumps(out))


if __name__ == "__main__":
    main()
