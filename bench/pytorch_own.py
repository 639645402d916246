"""tweetlab's own model in PyTorch, for the bench's second workload (bench/pytorch_lstm.py --model own).

The same computation as fast-wasm's variant 3 (src/model/fast/, src/model/tfjs-regularised.ts):
  embedding dropout  whole vocabulary rows dropped for the batch, survivors x 1/(1-p) (AWD-LSTM's embedded_dropout,
                     applied to the gathered rows: the same scales, no V x E copy);
  locked dropout     one mask per sequence, the same at every step, on the embedding output and the LSTM output;
  weight drop        DropConnect on weight_hh: one mask per batch, W * M / (1-p), through a functional LSTM call;
  tied weights       the decoder is the embedding matrix (plus an output bias);
  Adam               L2 weight decay (torch's weight_decay = tweetlab's adam + weightDecay), clip_grad_norm_ first.
Masks are Bernoulli draws from torch's generator (tweetlab's come from a counter hash): the same distributions and
the same work per step, not the same bits. nn.LSTM keeps two bias vectors where tweetlab has one (1,024 extra adds).
"""
import torch
import torch.nn.functional as F
from torch import nn

try:  # torch >= 2.0
    from torch.func import functional_call
except ImportError:  # torch 1.13 (Debian bookworm)
    from torch.nn.utils.stateless import functional_call


def locked_mask(batch, width, p, like):
    """[batch, 1, width] mask of 0 or 1/(1-p), broadcast over the steps of each sequence."""
    return like.new_empty(batch, 1, width).bernoulli_(1 - p) / (1 - p)


class TiedRegularisedLstm(nn.Module):
    def __init__(self, vocab, hidden, layers, emb_p, in_p, out_p, rec_p):
        super().__init__()
        self.embedding = nn.Embedding(vocab, hidden)
        self.lstm = nn.LSTM(hidden, hidden, num_layers=layers, batch_first=True)
        self.out_bias = nn.Parameter(torch.zeros(vocab))
        self.emb_p, self.in_p, self.out_p, self.rec_p = emb_p, in_p, out_p, rec_p

    def forward(self, ids, state=None):
        w = self.embedding.weight
        x = F.embedding(ids, w)
        if self.training and self.emb_p > 0:
            rows = w.new_empty(w.shape[0]).bernoulli_(1 - self.emb_p) / (1 - self.emb_p)
            x = x * rows[ids].unsqueeze(-1)
        if self.training and self.in_p > 0:
            x = x * locked_mask(x.shape[0], x.shape[2], self.in_p, x)
        if self.training and self.rec_p > 0:
            params = dict(self.lstm.named_parameters())
            for name in list(params):
                if name.startswith("weight_hh"):
                    params[name] = F.dropout(params[name], self.rec_p, training=True)
            out, state = functional_call(self.lstm, params, (x, state))
        else:
            out, state = self.lstm(x, state)
        if self.training and self.out_p > 0:
            out = out * locked_mask(out.shape[0], out.shape[2], self.out_p, out)
        return F.linear(out, w, self.out_bias), state


def build(args):
    """Model, optimiser and the per-batch update for the own-model workload."""
    model = TiedRegularisedLstm(args.vocab, args.hidden, args.layers, args.embedding_dropout, args.input_dropout,
                                args.output_dropout, args.recurrent_dropout)
    opt = torch.optim.Adam(model.parameters(), lr=args.lr, betas=(0.9, 0.999), eps=1e-7, weight_decay=args.weight_decay)

    def step(x, y):
        opt.zero_grad()
        logits, _ = model(x)
        loss = F.cross_entropy(logits.reshape(-1, args.vocab), y.reshape(-1))
        loss.backward()
        if args.clip > 0:
            nn.utils.clip_grad_norm_(model.parameters(), args.clip)
        opt.step()
        return loss

    return model, step
